// Starts Swagger UI on /docs: the page allows no inline script, so this file does it.
"use strict";
(function () {
  var root = document.getElementById("swagger-ui");
  if (!root || typeof window.SwaggerUIBundle !== "function") {
    return;
  }
  window.SwaggerUIBundle({
    url: root.getAttribute("data-openapi-url"),
    domNode: root,
    deepLinking: true,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    // The online validator's badge would load an image from another site.
    validatorUrl: null,
    defaultModelsExpandDepth: 0,
    tryItOutEnabled: false
  });
})();
