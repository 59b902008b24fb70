import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadTemplates } from '@teacher-gateway/gateway/internal/templates/load-templates';
import { parseTemplateFile } from '@teacher-gateway/gateway/internal/templates/parse-template-file';
import { renderTemplate } from '@teacher-gateway/gateway/internal/templates/render-template';
import { createTemplateRegistry } from '@teacher-gateway/gateway/internal/templates/template-registry';
import { promptsDir } from '../../helpers/create-test-gateway.ts';
import { ACTION_LABELS } from '@teacher-gateway/trainer/internal/envs/grid-world/action';

const templates = loadTemplates(promptsDir);
const image = { mediaType: 'image/png', data: new Uint8Array([1]), sha256: 'a'.repeat(64) };

test('ships the four templates the trainer uses, each with its output format', () => {
  const formats = Object.fromEntries(templates.map((template) => [template.id, template.output]));
  assert.deepEqual(formats, {
    'minigrid-lvlm2p': 'choice',
    'minigrid-lvlm2p-verbalized': 'json-probabilities',
    'minigrid-text': 'choice',
    'physics-varl': 'json-vector',
  });
  for (const template of templates) assert.match(template.sha256, /^[0-9a-f]{64}$/);
});

test('every template renders with the inputs it declares, with no placeholder left behind', () => {
  const discrete = { kind: 'discrete' as const, labels: [...ACTION_LABELS] };
  const continuous = { kind: 'continuous' as const, labels: ['dx', 'dy'], low: [-1, -1], high: [1, 1] };
  const state = {
    width: 5, height: 5,
    agent: { x: 1, y: 1, facing: 'east' },
    carrying: 'yellow key',
    objects: [{ description: 'locked yellow door', x: 2, y: 2 }, { description: 'green goal', x: 3, y: 3 }],
    inFront: 'an empty cell',
  };
  for (const template of templates) {
    const actions = template.output === 'json-vector' ? continuous : discrete;
    const prompt = renderTemplate({ template, observation: { text: 'get to the goal', state }, actions, image });
    const user = prompt.messages.at(-1);
    assert.equal(user?.role, 'user');
    const text = user?.parts.filter((part) => part.type === 'text').map((part) => (part as { text: string }).text).join('\n') ?? '';
    assert.doesNotMatch(text, /\{\{|\}\}/, template.id);
    assert.match(text, /get to the goal/, template.id);
    assert.equal(user?.parts.some((part) => part.type === 'image'), template.inputs.includes('image'), template.id);
    if (template.output === 'choice') assert.match(text, /G\. done/);
    if (template.id === 'minigrid-text') {
      assert.match(text, /x=1, y=1, facing east/);
      assert.match(text, /carries a yellow key/);
      assert.match(text, /locked yellow door at x=2, y=2/);
    }
    if (template.id === 'physics-varl') assert.match(text, /"dx" between -1 and 1/);
  }
});

test('values are not HTML-escaped', () => {
  const template = templates.find((entry) => entry.id === 'minigrid-lvlm2p');
  assert.ok(template);
  const prompt = renderTemplate({
    template,
    observation: { text: 'put the <red> ball & "key" next to each other' },
    actions: { kind: 'discrete', labels: ['a', 'b'] },
    image,
  });
  assert.match(prompt.text, /put the <red> ball & "key" next to each other/);
});

test('a broken template file is reported with its file and field', () => {
  const missing = parseTemplateFile('no front matter', 'x.md');
  assert.deepEqual(missing, { ok: false, error: 'x.md: missing "---" front matter' });
  const badField = parseTemplateFile('---\nid: x\nversion: 1\ndescription: d\ninputs: [image]\noutput: poem\n---\nbody', 'y.md');
  assert.equal(badField.ok, false);
  if (!badField.ok) assert.match(badField.error, /^y\.md: output:/);
  const badMustache = parseTemplateFile('---\nid: x\nversion: 1\ndescription: d\ninputs: [text]\noutput: choice\n---\n{{#open}}', 'z.md');
  assert.equal(badMustache.ok, false);
});

test('id@version pins a version; a bare id gives the newest', () => {
  const make = (version: number) => {
    const result = parseTemplateFile(`---\nid: t\nversion: ${version}\ndescription: d\ninputs: [text]\noutput: choice\n---\nv${version}`, `t${version}.md`);
    assert.ok(result.ok);
    return result.template;
  };
  const registry = createTemplateRegistry([make(1), make(2)]);
  assert.equal(registry.resolve('t')?.version, 2);
  assert.equal(registry.resolve('t@1')?.body, 'v1');
  assert.equal(registry.resolve('t@3'), undefined);
  assert.throws(() => createTemplateRegistry([make(1), make(1)]), /defined twice/);
});
