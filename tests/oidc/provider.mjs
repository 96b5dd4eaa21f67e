// A real OpenID Connect provider for the sign-in tests: panva's oidc-provider on loopback.
//
// Usage: node tests/oidc/provider.mjs CONFIG.json
// CONFIG: {"port": 18400, "client_id": "...", "client_secret": "...", "redirect_uri": "http://...",
//          "accounts": {"SUBJECT": {"email": "...", "given_name": "...", "family_name": "...",
//                                   "groups": ["..."]}}}
//
// It behaves as Microsoft Entra ID does where putright relies on it: the groups claim comes in the
// ID token with the openid scope (Entra adds it when the app registration asks for group claims),
// PKCE is required, and the login page (oidc-provider's development interactions) signs in any
// subject the config names; the password is not checked. Consent is implied for this one client,
// as an Entra administrator grants it for the whole tenant. Prints "listening ISSUER" when ready.
import { readFileSync } from 'node:fs';
import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const issuer = `http://127.0.0.1:${config.port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: config.client_id,
      client_secret: config.client_secret,
      redirect_uris: [config.redirect_uri],
      post_logout_redirect_uris: [config.post_logout_redirect_uri || config.redirect_uri],
      response_types: ['code'],
      grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'client_secret_post',
      id_token_signed_response_alg: 'RS256',
    },
  ],
  claims: {
    openid: ['sub', 'groups'],
    email: ['email', 'email_verified'],
    profile: ['name', 'given_name', 'family_name'],
  },
  // Claims of the scopes asked for go in the ID token too, as Entra's do.
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ['putright-test-oidc-provider-cookie-key'] },
  async findAccount(ctx, sub) {
    const account = config.accounts[sub];
    if (!account) return undefined;
    return {
      accountId: sub,
      async claims() {
        const name = [account.given_name, account.family_name].filter(Boolean).join(' ');
        return { sub, email_verified: true, name, ...account };
      },
    };
  },
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId
      || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
});

const server = provider.listen(config.port, '127.0.0.1', () => {
  console.log(`listening ${issuer}`);
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
