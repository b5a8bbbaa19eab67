import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { expect, test } from './fixtures';

// The OpenAPI document as the release server serves it at /api/v1/openapi.json: valid OpenAPI 3.1
// by the specification's own JSON Schema (not by our reading of it), and every example in it valid
// against the schema it illustrates — the examples are built from the server's answer types, the
// schemas derived from them, so a mismatch here is a drift between the two.

type Doc = {
  openapi: string;
  components: { schemas: Record<string, unknown> };
  paths: Record<string, Record<string, any>>;
};

async function served(request: import('@playwright/test').APIRequestContext): Promise<Doc> {
  const res = await request.get('/api/v1/openapi.json');
  expect(res.status()).toBe(200);
  expect(res.headers()['content-type']).toContain('application/json');
  return res.json();
}

test('the served document is valid OpenAPI 3.1 and lists every action and error answer', async ({ request }) => {
  const doc = await served(request);
  const validator = new Validator();
  const result = await validator.validate(doc as object);
  expect(result.errors ?? [], 'errors against the OpenAPI 3.1 schema').toEqual([]);
  expect(result.valid).toBe(true);
  expect(validator.version).toBe('3.1');

  const post = doc.paths['/api/v1/'].post;
  const actions = Object.keys(doc.components.schemas.ActionRequest
    ? (doc.components.schemas.ActionRequest as any).discriminator.mapping : {});
  expect(actions).toEqual([
    'addLearnersToTeams', 'deactivateLearners', 'getTeams', 'inviteLearners', 'invites',
    'learners', 'reactivateLearners', 'removeLearnersFromTeams', 'resendInvites', 'revokeInvites',
  ]);
  expect(Object.keys(post.requestBody.content['application/json'].examples).sort()).toEqual(actions);
  for (const status of ['400', '401', '403', '404', '413', '422', '429']) {
    expect(post.responses[status].$ref, status).toMatch(/^#\/components\/responses\//);
  }
});

test('every example call and answer in the document matches its schema', async ({ request }) => {
  const doc = await served(request);
  // The document's schemas are JSON Schema 2020-12 (OpenAPI 3.1's dialect); `discriminator` and
  // `example` are OpenAPI's own keywords, which a JSON Schema validator leaves alone.
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: 'shoal:openapi', components: doc.components });
  const check = (schema: string, value: unknown, what: string) => {
    const validate = ajv.compile({ $ref: `shoal:openapi#/components/schemas/${schema}` });
    const ok = validate(value);
    expect(validate.errors ?? [], `${what} against ${schema}`).toEqual([]);
    expect(ok, what).toBe(true);
  };
  const post = doc.paths['/api/v1/'].post;
  const calls = post.requestBody.content['application/json'].examples;
  const answers = post.responses['200'].content['application/json'].examples;
  for (const [action, example] of Object.entries<any>(calls)) {
    check('ActionRequest', example.value, `the example call of ${action}`);
    const name = action[0].toUpperCase() + action.slice(1);
    check(`${name}Request`, example.value, `the example call of ${action}`);
    check(`${name}Response`, answers[action].value, `the example answer of ${action}`);
  }
  // A wrong call is refused by the same schemas: an unknown action, a learner without a first name.
  const wrong = ajv.compile({ $ref: 'shoal:openapi#/components/schemas/ActionRequest' });
  expect(wrong({ action: 'getTeam', options: {} })).toBe(false);
  expect(wrong({ action: 'inviteLearners', options: { learners: [{ email: 'a@example.com' }] } })).toBe(false);
});
