#!/usr/bin/env node
// `npm start`: `teacher-gateway serve`, and, when no key of the default provider chain is set, the
// simulated teacher at the chain's end, so a fresh clone answers the README's request with no key.
// This composition lives at the repository root because the gateway does not depend on the trainer
// (where the simulated VLM lives) and the trainer does not need the gateway.
import process from 'node:process';
import { URL } from 'node:url';
import { parseArgs } from 'node:util';
import { readConfig } from '@teacher-gateway/gateway';

const args = process.argv.slice(2);
const { values } = parseArgs({ args, strict: false, allowPositionals: true, options: { config: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
if (!values.help) await startSimulatedTeacherIfKeyless(typeof values.config === 'string' ? values.config : undefined);
process.argv.splice(2, 0, 'serve');
await import('@teacher-gateway/gateway/cli');

async function startSimulatedTeacherIfKeyless(configPath) {
  const { config, missingVariables } = readConfig(configPath === undefined ? {} : { configPath });
  if (config.defaultProvider === undefined) return;
  const chain = [config.defaultProvider, ...(config.fallbacks[config.defaultProvider] ?? [])];
  const index = (id) => config.providers.findIndex((provider) => provider.id === id);
  const simulated = chain
    .map((id) => config.providers[index(id)])
    .find((provider) => provider?.model === 'simulated-planner' && /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?\//.test(provider.baseURL ?? ''));
  if (simulated === undefined) return;
  const missing = chain.filter((id) => id !== simulated.id).map((id) => missingVariables.get(`providers.${index(id)}.apiKey`));
  if (missing.some((variable) => variable === undefined)) return;
  const url = new URL(simulated.baseURL);
  const { createSimulatedVlmServer } = await import('@teacher-gateway/trainer/simulated-vlm');
  try {
    await createSimulatedVlmServer({ host: url.hostname, port: Number(url.port || 80) });
    process.stderr.write(
      `no ${missing.join(' or ')} set: requests fall back to "${simulated.id}", the simulated teacher (teacher-train simulated-vlm) started on ${simulated.baseURL}; set a key to ask a real model\n`,
    );
  } catch (error) {
    if (error?.code !== 'EADDRINUSE') throw error;
    process.stderr.write(`no ${missing.join(' or ')} set: requests fall back to "${simulated.id}" at ${simulated.baseURL}, where something already listens\n`);
  }
}
