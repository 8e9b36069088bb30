// The osint-kg query UI: YASGUI on this server's SPARQL endpoint, with one example tab per saved
// analyst query (GET api/queries). Every URL is relative to the page, so it works behind a base path.
(function () {
  "use strict";

  var endpoint = new URL("sparql", document.baseURI).href;
  var status = document.getElementById("kg-status");

  // Work offline: complete variables and prefixes (YASGUI's bundled prefix list) only. The "class"
  // and "property" completers ask lov.linkeddata.es, and prefixCcApi would ask prefix.cc.
  Yasgui.Yasqe.defaults.autocompleters = ["variables", "prefixes"];
  Yasgui.Yasqe.defaults.prefixCcApi = null;

  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    persistenceId: "osint-kg",
    copyEndpointOnNewTab: true,
    requestConfig: { endpoint: endpoint, method: "POST" },
    endpointCatalogueOptions: {
      getData: function () {
        return [{ endpoint: endpoint }];
      },
    },
  });
  document.getElementById("kg-endpoint").textContent = endpoint;

  function addExamples(queries) {
    var added = 0;
    queries.forEach(function (saved) {
      // A tab of that name kept from an earlier visit (possibly edited) is left as it is.
      var tab = yasgui.tabNameTaken(saved.title);
      if (!tab) {
        tab = yasgui.addTab(false, {
          name: saved.title,
          yasqe: { value: saved.query },
          requestConfig: { endpoint: endpoint },
        });
        added += 1;
      }
      var link = document.getElementById("tab-" + tab.getId());
      if (link) {
        link.title = saved.description;
      }
    });
    status.textContent = queries.length + " example queries (" + added + " new tabs)";
  }

  fetch(new URL("api/queries", document.baseURI), { headers: { Accept: "application/json" } })
    .then(function (response) {
      if (!response.ok) {
        throw new Error("HTTP " + response.status);
      }
      return response.json();
    })
    .then(addExamples)
    .catch(function (error) {
      status.textContent = "Could not load the example queries: " + error.message;
    });

  // A result link to an IRI minted here opens this server's page of it, not the public IRI (which may not
  // resolve, and would leave the machine). The server names its base IRI and resource path in <meta> tags;
  // the link is rewritten as the pointer reaches it or it is followed (YASR offers no hook for its links).
  var baseIri = metaContent("kg-base-iri");
  var resourcePath = metaContent("kg-resource-path");

  function metaContent(name) {
    var element = document.querySelector('meta[name="' + name + '"]');
    return element ? element.getAttribute("content") : "";
  }

  function localise(event) {
    var link = event.target && event.target.closest ? event.target.closest("a[href]") : null;
    var href = link ? link.getAttribute("href") : "";
    if (!baseIri || !resourcePath || href.indexOf(baseIri) !== 0) {
      return;
    }
    var local = resourcePath.replace(/^\//, "") + href.slice(baseIri.length);
    link.setAttribute("href", new URL(local, document.baseURI).href);
  }

  ["mouseover", "focusin", "click", "auxclick", "contextmenu"].forEach(function (type) {
    document.getElementById("yasgui").addEventListener(type, localise, true);
  });

  window.kgYasgui = yasgui;
})();
