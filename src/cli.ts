#!/usr/bin/env node
// Placeholder until the CLI lands.
console.log("brightpattern-exporter");
