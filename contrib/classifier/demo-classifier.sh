#!/bin/sh
# A demo classifier for `provaudit sample --classifier` (and its test): reads one JSON
# object a line ({"id", "text"}, personal information already masked) and writes one score
# a line. It "detects" the made-up words of fixtures/safety-demo.toml only: a stand-in for
# a real classification model, showing the protocol.
if [ "$1" = "--version" ]; then
  echo "demo-classifier 1.0"
  exit 0
fi
while IFS= read -r line; do
  case "$line" in
    *zorblax*|*ZORBLAX*) echo '{"score": 0.9, "category": "A.1.1"}' ;;
    *) echo 0.05 ;;
  esac
done
