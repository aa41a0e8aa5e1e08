"""The GraphiQL page served at ``GET /graphql`` to browsers, with its assets served by the
hub itself (no CDN). The headers editor is where a token goes: ``{"Authorization": "Bearer ..."}``."""

from __future__ import annotations

from functools import cache
from pathlib import Path

STATIC_DIR = Path(__file__).parent / "static"
ASSETS = "/static/graphiql"

_PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Wage-data hub · GraphiQL</title>
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <link rel="stylesheet" href="{assets}/graphiql.min.css">
  <style>body {{ margin: 0; height: 100vh; }} #graphiql {{ height: 100vh; }}</style>
</head>
<body>
  <div id="graphiql">Loading GraphiQL…</div>
  <script src="{assets}/react.production.min.js"></script>
  <script src="{assets}/react-dom.production.min.js"></script>
  <script src="{assets}/graphiql.min.js"></script>
  <script>
    const fetcher = GraphiQL.createFetcher({{ url: window.location.pathname }});
    const defaultQuery = `# Paste a token into the headers editor below to see your department's schema:
#   {{"Authorization": "Bearer <access token>"}}
{{
  blacklistEntries(first: 5) {{
    totalCount
    edges {{ node {{ status reason enterprise {{ uscc name }} }} }}
  }}
}}
`;
    ReactDOM.createRoot(document.getElementById("graphiql")).render(
      React.createElement(GraphiQL, {{
        fetcher, defaultQuery, isHeadersEditorEnabled: true, shouldPersistHeaders: true,
        defaultEditorToolsVisibility: "headers",
      }})
    );
  </script>
</body>
</html>
"""


@cache
def graphiql_html() -> str:
    return _PAGE.format(assets=ASSETS)
