// SecureDialogue's development and test OpenID Provider: npm oidc-provider (OpenID Certified) on 127.0.0.1.
// NOT for production: static test accounts, in-memory storage, signing keys generated at every start.
//
//   node provider.mjs [--port N] [--url-file PATH]
//
// --port N          port on 127.0.0.1 (default $OIDC_PORT, else 5090; 0 picks a free port)
// --url-file PATH   once listening, writes the issuer URL (http://127.0.0.1:PORT) to PATH
//
// Environment (all optional; lifetimes in seconds):
//   OIDC_PORT, OIDC_ACCESS_TOKEN_TTL (600), OIDC_ID_TOKEN_TTL (600), OIDC_REFRESH_TOKEN_TTL (86400),
//   OIDC_DEVICE_CODE_TTL (600), OIDC_DEVICE_POLL_INTERVAL (5), OIDC_AUDIENCE (securedialogue),
//   OIDC_RESOURCE (urn:securedialogue), OIDC_TEST_PASSWORD (password of every test account),
//   OIDC_WEB_CLIENT_SECRET, OIDC_WEB_REDIRECT_URIS (comma separated, for the securedialogue-web client),
//   OIDC_EXIT_WITH_PID (exit when that process is gone: test fixtures pass their own PID)
//
// See docs/identity.md for the clients, the accounts and how a test signs in over HTTP.
import { createServer } from 'node:http';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { writeFileSync, renameSync } from 'node:fs';
import Provider, { errors } from 'oidc-provider';

import { createAccounts, claimsOf, defaultPassword } from './accounts.mjs';
import { interactionRoutes } from './interactions.mjs';
import { devicePolling } from './device_polling.mjs';

const host = '127.0.0.1';
const env = process.env;
const args = parseArguments(process.argv.slice(2));

const settings = {
  accessTokenTtl: seconds('OIDC_ACCESS_TOKEN_TTL', 600),
  idTokenTtl: seconds('OIDC_ID_TOKEN_TTL', 600),
  refreshTokenTtl: seconds('OIDC_REFRESH_TOKEN_TTL', 86400),
  deviceCodeTtl: seconds('OIDC_DEVICE_CODE_TTL', 600),
  devicePollInterval: seconds('OIDC_DEVICE_POLL_INTERVAL', 5),
  audience: env.OIDC_AUDIENCE || 'securedialogue',
  resource: env.OIDC_RESOURCE || 'urn:securedialogue',
  webClientSecret: env.OIDC_WEB_CLIENT_SECRET || 'securedialogue-web-development-secret',
  webRedirectUris: (env.OIDC_WEB_REDIRECT_URIS || 'http://127.0.0.1:5080/signin-oidc').split(',').map((s) => s.trim()).filter(Boolean),
};

const accounts = createAccounts(env.OIDC_TEST_PASSWORD || defaultPassword);

function log(message) {
  process.stdout.write(`${new Date().toISOString()} oidc: ${message}\n`);
}

// Bind first so that --port 0 works: the issuer contains the port actually bound.
const server = createServer();
await new Promise((resolve, reject) => {
  server.once('error', reject);
  server.listen(args.port, host, resolve);
});
const issuer = `http://${host}:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: 'sdlg-cli',
      client_name: 'SecureDialogue command line (sdlg)',
      application_type: 'native',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'],
      response_types: ['code'],
      // Loopback redirect: any port is accepted for a native client (RFC 8252 section 7.3).
      redirect_uris: ['http://127.0.0.1/callback'],
      scope: 'openid profile email offline_access',
    },
    {
      client_id: 'securedialogue-web',
      client_name: 'SecureDialogue web (secretariat pages)',
      application_type: 'web',
      client_secret: settings.webClientSecret,
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: settings.webRedirectUris,
      post_logout_redirect_uris: settings.webRedirectUris.map((uri) => new URL('/', uri).href),
      scope: 'openid profile email offline_access',
    },
  ],
  async findAccount(_ctx, sub) {
    const account = accounts.find(sub);
    if (!account) {
      return undefined;
    }
    return {
      accountId: account.sub,
      async claims() {
        return claimsOf(account);
      },
    };
  },
  claims: {
    openid: ['sub'],
    profile: ['name', 'preferred_username', 'roles'],
    email: ['email', 'email_verified'],
  },
  // Put the scope's claims in the id_token: the access token's audience is the API, not userinfo.
  conformIdTokenClaims: false,
  scopes: ['openid', 'profile', 'email', 'offline_access'],
  responseTypes: ['code'],
  pkce: { required: () => true },
  jwks: { keys: [signingKey()] },
  cookies: { keys: [randomBytes(32).toString('base64url')] },
  clientBasedCORS: () => false,
  features: {
    devInteractions: { enabled: false },
    deviceFlow: { enabled: true },
    revocation: { enabled: true },
    rpInitiatedLogout: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => settings.resource,
      useGrantedResource: () => true,
      getResourceServerInfo(_ctx, resourceIndicator) {
        if (resourceIndicator !== settings.resource) {
          throw new errors.InvalidTarget();
        }
        return {
          scope: 'dialogue',
          audience: settings.audience,
          accessTokenTTL: settings.accessTokenTtl,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        };
      },
    },
  },
  // The API reads the display name and roles from the access token (a JWT for the audience above).
  async extraTokenClaims(_ctx, token) {
    const account = token.accountId ? accounts.find(token.accountId) : undefined;
    if (!account || token.kind !== 'AccessToken') {
      return undefined;
    }
    const { name, preferred_username: preferredUsername, roles } = claimsOf(account);
    return { name, preferred_username: preferredUsername, roles };
  },
  ttl: {
    AccessToken: () => settings.accessTokenTtl,
    AuthorizationCode: 60,
    DeviceCode: () => settings.deviceCodeTtl,
    IdToken: () => settings.idTokenTtl,
    RefreshToken: () => settings.refreshTokenTtl,
    Interaction: 600,
    Session: 3600,
    Grant: () => settings.refreshTokenTtl,
  },
  renderError(ctx, out) {
    ctx.type = 'text/plain';
    ctx.body = `${out.error}: ${out.error_description ?? ''}\n`;
  },
});

provider.use(requestLog);
provider.use(devicePolling(settings.devicePollInterval));
provider.use(interactionRoutes(provider, accounts, log));
provider.on('server_error', (_ctx, error) => log(`server error: ${error.name}: ${error.message}`));
provider.on('grant.error', (_ctx, error) => {
  if (error.error !== 'authorization_pending') {
    log(`grant error: ${error.error}`);
  }
});

server.on('request', provider.callback());

if (args.urlFile) {
  const temporary = `${args.urlFile}.${process.pid}.tmp`;
  writeFileSync(temporary, `${issuer}\n`);
  renameSync(temporary, args.urlFile);
}
log(`issuer ${issuer} (audience ${settings.audience}, resource ${settings.resource}); test accounts: ${accounts.list().map((a) => a.sub).join(', ')}`);

if (env.OIDC_EXIT_WITH_PID) {
  const parent = Number(env.OIDC_EXIT_WITH_PID);
  setInterval(() => {
    try {
      process.kill(parent, 0);
    } catch {
      log(`process ${parent} is gone: stopping`);
      process.exit(0);
    }
  }, 2000).unref();
}

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    log(`${signal}: stopping`);
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}

// Logs method, path and status only: query strings and bodies carry codes and tokens.
async function requestLog(ctx, next) {
  try {
    await next();
  } finally {
    log(`${ctx.method} ${ctx.path} ${ctx.status}`);
  }
}

function signingKey() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid: randomBytes(8).toString('hex'), use: 'sig', alg: 'RS256' };
}

function seconds(name, fallback) {
  const raw = env[name];
  if (raw === undefined || raw === '') {
    return fallback;
  }
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) {
    fail(`${name} must be a positive whole number of seconds, got '${raw}'`);
  }
  return value;
}

function parseArguments(argv) {
  const parsed = { port: Number(env.OIDC_PORT || 5090), urlFile: undefined };
  for (let i = 0; i < argv.length; i += 1) {
    const [name, inline] = argv[i].split(/=(.*)/s, 2);
    const value = () => inline ?? argv[++i] ?? fail(`${name} needs a value`);
    switch (name) {
      case '--port': parsed.port = Number(value()); break;
      case '--url-file': parsed.urlFile = value(); break;
      case '-h':
      case '--help':
        process.stdout.write('usage: node provider.mjs [--port N] [--url-file PATH]\n');
        process.exit(0);
        break;
      default: fail(`unknown argument '${argv[i]}'`);
    }
  }
  if (!Number.isInteger(parsed.port) || parsed.port < 0 || parsed.port > 65535) {
    fail(`the port must be 0..65535, got '${parsed.port}'`);
  }
  return parsed;
}

function fail(message) {
  process.stderr.write(`provider.mjs: ${message}\n`);
  process.exit(2);
}
