// An OpenID provider on loopback for the test suite (started by tests/oidc_provider.py, one per test run).
//
// Reads the JSON file named on its command line: {"port", "issuer", "jwks" (private signing keys), "clients",
// "accounts" (account id -> claims)}, and prints "ready" once it listens.
// Its login page takes any account id with any password (oidc-provider's development interactions).
//
// One test hook: POST /test/next-id-token {"id_token": "..."} makes the next token response carry that ID token in
// place of the one the provider issued: a provider that hands the client a forged, expired or foreign token.
import { readFileSync } from 'node:fs';
import Provider from 'oidc-provider';

const settings = JSON.parse(readFileSync(process.argv[2], 'utf8'));

const provider = new Provider(settings.issuer, {
  clients: settings.clients,
  jwks: settings.jwks,
  pkce: { required: () => true },
  // The claims of the scopes asked for go into the ID token too, as Ansattporten and Entra ID put them there.
  conformIdTokenClaims: false,
  claims: {
    openid: ['sub'],
    profile: ['name'],
    email: ['email'],
    // Stand-ins for Ansattporten's organisation (authorization_details) and Entra ID's tenant and app roles.
    organisation: ['authorization_details', 'tid', 'roles'],
  },
  features: {
    devInteractions: { enabled: true },
    rpInitiatedLogout: { enabled: true },
  },
  cookies: { keys: ['kk-test-provider-cookie-key'] },
  ttl: { IdToken: 3600, AccessToken: 3600, AuthorizationCode: 600, Session: 3600, Grant: 3600, Interaction: 3600 },
  async findAccount(ctx, id) {
    const claims = settings.accounts[id] ?? {};
    return { accountId: id, async claims() { return { sub: id, ...claims }; } };
  },
});
provider.proxy = false;

const forged = [];
provider.use(async (ctx, next) => {
  if (ctx.method === 'POST' && ctx.path === '/test/next-id-token') {
    const chunks = [];
    for await (const chunk of ctx.req) chunks.push(chunk);
    forged.push(JSON.parse(Buffer.concat(chunks).toString()).id_token);
    ctx.status = 204;
    return;
  }
  await next();
  if (ctx.path === '/token' && ctx.status === 200 && forged.length && ctx.body?.id_token) {
    ctx.body = { ...ctx.body, id_token: forged.shift() };
  }
});

provider.listen(settings.port, '127.0.0.1', () => process.stdout.write('ready\n'));
