// Swagger UI for claimtrack, from files served by the app itself (no CDN, no inline script,
// so the Content-Security-Policy can forbid both).
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: document.body.dataset.specUrl,
    dom_id: "#swagger-ui",
    validatorUrl: null,
    persistAuthorization: true,
    deepLinking: true,
  });
});
