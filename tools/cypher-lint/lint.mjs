// Neo4j's own Cypher linter over Cypher statements, offline.
//
// Usage: node lint.mjs --schema schema.json < statements.json
//
//   statements.json  a JSON list of {name, cypher, parameters?}; `parameters` maps each $name the
//                    statement may use to a sample value (an undeclared $param is an error)
//   schema.json      {labels, relationshipTypes, propertyKeys} of the infoops graph model
//                    (tests/unit/test_cypher_lint.py writes it from infoops.engines.schema)
//
// Neo4j 5's built-in functions and procedures are declared from the registry the package ships
// (testData.mockSchema, captured from a Neo4j server), without APOC and GDS: a Ladybug-only function
// such as label() or is_acyclic() in a Neo4j-form statement is then reported as an error.
//
// Prints one line per diagnostic and a summary; exits 1 if any diagnostic has severity 1 (error),
// 2 on bad input. Warnings (severity 2: unknown label/property, cartesian product) are printed.
import { readFileSync } from 'node:fs';
import { lintCypherQuery, testData } from '@neo4j-cypher/language-support';

const CYPHER_VERSION = 'CYPHER 5';

function fail(message) {
  process.stderr.write(`lint.mjs: ${message}\n`);
  process.exit(2);
}

function argument(name) {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

// Only what a plain Neo4j 5 server has: no APOC, no Graph Data Science plugin.
function plainNeo4j(registry) {
  return Object.fromEntries(
    Object.entries(registry ?? {}).filter(([name]) => !/^(apoc|gds)\./.test(name)),
  );
}

const schemaPath = argument('--schema');
if (!schemaPath) fail('missing --schema FILE (labels, relationshipTypes, propertyKeys)');
let model;
let statements;
try {
  model = JSON.parse(readFileSync(schemaPath, 'utf8'));
  statements = JSON.parse(readFileSync(0, 'utf8'));
} catch (error) {
  fail(`cannot read input: ${error.message}`);
}
if (!Array.isArray(statements)) fail('stdin must be a JSON list of {name, cypher}');

const registry = testData.mockSchema;
const functions = { [CYPHER_VERSION]: plainNeo4j(registry.functions[CYPHER_VERSION]) };
const procedures = { [CYPHER_VERSION]: plainNeo4j(registry.procedures[CYPHER_VERSION]) };

let errors = 0;
let warnings = 0;
for (const [index, item] of statements.entries()) {
  if (typeof item?.cypher !== 'string') fail(`item ${index} has no "cypher" string`);
  const name = item.name ?? `#${index}`;
  const schema = {
    labels: model.labels ?? [],
    relationshipTypes: model.relationshipTypes ?? [],
    propertyKeys: model.propertyKeys ?? [],
    parameters: item.parameters ?? {},
    functions,
    procedures,
    defaultLanguage: CYPHER_VERSION,
  };
  const { diagnostics } = lintCypherQuery(item.cypher, schema);
  for (const diagnostic of diagnostics) {
    const { line, character } = diagnostic.range.start;
    const kind = diagnostic.severity === 1 ? 'error' : 'warning';
    if (diagnostic.severity === 1) errors += 1;
    else warnings += 1;
    process.stdout.write(`${name}:${line + 1}:${character + 1}: ${kind}: ${diagnostic.message}\n`);
  }
}
process.stdout.write(
  `linted ${statements.length} statements: ${errors} errors, ${warnings} warnings\n`,
);
process.exit(errors ? 1 : 0);
