from __future__ import annotations

from flask import current_app
from flask.views import MethodView

from service import db
from service.auth import service
from service.auth.access import requires
from service.auth.models import ApiKey, Role
from service.auth.schemas import KeyCreatedOut, KeyIn, KeyOut, KeyPage, KeyQuery
from service.json_bodies import Blueprint

blp = Blueprint("keys", __name__, url_prefix="/api/v1/keys", description="API keys (admins only).")


@blp.route("")
class Keys(MethodView):
    @requires(blp, Role.ADMIN)
    @blp.doc(operationId="listKeys")
    @blp.arguments(KeyQuery, location="query")
    @blp.response(200, KeyPage)
    def get(self, query):
        """List API keys (never the keys themselves)"""
        page = service.list_keys(db.session(), **query)
        return page, page.headers

    @requires(blp, Role.ADMIN)
    @blp.doc(operationId="createKey")
    @blp.arguments(KeyIn, example={"name": "Fatima Zahra", "role": "researcher"})
    @blp.response(201, KeyCreatedOut)
    def post(self, data):
        """Create an API key; the answer shows it, once"""
        api_key, plain = service.create_key(
            db.session(), **data, server_secret=current_app.config["SECRET_KEY"]
        )
        db.session().commit()
        shown = {name: getattr(api_key, name) for name in KeyOut().fields} | {"key": plain}
        return shown, {"Cache-Control": "no-store"}


@blp.route("/<id:key_id>")
class KeyById(MethodView):
    @requires(blp, Role.ADMIN)
    @blp.doc(operationId="revokeKey")
    @blp.response(204)
    @blp.alt_response(409, response="CONFLICT")
    def delete(self, key_id):
        """Revoke an API key (it stays listed, as revoked)

        The last active admin key cannot be revoked (409 `last-admin-key`): create another
        admin key first.
        """
        service.revoke_key(db.session(), db.get_or_404(ApiKey, key_id))
        db.session().commit()
