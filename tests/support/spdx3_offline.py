"""Validates an SPDX 3.0.1 JSON-LD file with the SPDX project's own validator
(`spdx3-validate`: JSON schema and SHACL shapes), offline.

The validator downloads the published context, model and schema; this wrapper serves
them from a local folder (../shared/schemas/spdx-3.0.1 in this workplace) and refuses
every other URL, so a document that needs the network fails instead of passing.

    python3 spdx3_offline.py SCHEMA_DIR DOCUMENT.spdx.json
"""
import io
import os
import sys
import urllib.request

SCHEMAS = sys.argv[1]
LOCAL = {
    "https://spdx.org/rdf/3.0.1/spdx-context.jsonld": "spdx-context.jsonld",
    "https://spdx.org/rdf/3.0.1/spdx-model.ttl": "spdx-model.ttl",
    "https://spdx.org/schema/3.0.1/spdx-json-schema.json": "schema.json",
}


class Response(io.BytesIO):
    """Just enough of an HTTP response for rdflib and the validator."""

    def __init__(self, data, url):
        super().__init__(data)
        self.url = url
        kind = "text/turtle" if url.endswith(".ttl") else "application/ld+json"
        self.headers = {"Content-Type": kind, "content-type": kind}

    def geturl(self):
        return self.url

    def info(self):
        return self.headers

    def getcode(self):
        return 200


def offline(request, *args, **kwargs):
    url = request if isinstance(request, str) else request.full_url
    if url in LOCAL:
        with open(os.path.join(SCHEMAS, LOCAL[url]), "rb") as f:
            return Response(f.read(), url)
    raise OSError(f"offline validation: refusing to fetch {url}")


# Patched before the validator (and rdflib) are imported, so every fetch goes here.
urllib.request.urlopen = offline

from spdx3_validate.main import main  # noqa: E402

sys.argv = ["spdx3-validate", "--quiet", "--json", sys.argv[2]]
sys.exit(main())
