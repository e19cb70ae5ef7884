// Login and consent pages of the development provider, on oidc-provider's interaction API
// (interactionDetails / interactionResult). They replace oidc-provider's devInteractions, which accept any
// login without a password: here only the static accounts sign in, with their password.
//
// A browser uses the HTML pages; a test drives the same flow over HTTP (keeping the `_interaction`
// cookies the provider set when it redirected to /interaction/:uid):
//
//   GET  /interaction/:uid           HTML page; data-prompt="login" or "consent" on <form>
//   POST /interaction/:uid/login     login=<account>&password=<password> (form or JSON)
//                                    -> 303 back to the provider; 401 and the form again when wrong
//   POST /interaction/:uid/confirm   grants the requested scopes, claims and resource
//                                    -> 303 back to the provider
//   GET  /interaction/:uid/abort     ends the request with access_denied -> 303 back to the provider
const maxBodyBytes = 16 * 1024;

export function interactionRoutes(provider, accounts, log) {
  return async function interactions(ctx, next) {
    const match = /^\/interaction\/([A-Za-z0-9_-]+)(?:\/(login|confirm|abort))?$/.exec(ctx.path);
    if (!match) {
      return next();
    }

    const [, uid, action] = match;
    ctx.set('cache-control', 'no-store');
    let details;
    try {
      details = await provider.interactionDetails(ctx.req, ctx.res);
    } catch (error) {
      return fail(ctx, 400, `interaction not found (${error.name})`);
    }

    if (details.uid !== uid) {
      return fail(ctx, 400, 'interaction does not match its cookie');
    }

    const prompt = details.prompt.name;
    if (ctx.method === 'GET' && action === undefined) {
      return render(ctx, 200, prompt === 'login' ? loginPage(uid, details) : consentPage(uid, details));
    }

    if (action === 'abort' && (ctx.method === 'GET' || ctx.method === 'POST')) {
      const returnTo = await provider.interactionResult(ctx.req, ctx.res, {
        error: 'access_denied',
        error_description: 'End-User aborted interaction',
      }, { mergeWithLastSubmission: false });
      log(`interaction ${uid}: aborted`);
      return seeOther(ctx, returnTo);
    }

    if (ctx.method !== 'POST' || action === undefined) {
      return fail(ctx, 405, 'method not allowed');
    }

    if (action === 'login') {
      if (prompt !== 'login') {
        return fail(ctx, 409, `the interaction asks for ${prompt}, not login`);
      }

      const body = await readBody(ctx);
      const account = accounts.authenticate(body.login, body.password);
      if (!account) {
        log(`interaction ${uid}: login refused`);
        return render(ctx, 401, loginPage(uid, details, 'Unknown login or wrong password.'));
      }

      const returnTo = await provider.interactionResult(ctx.req, ctx.res, {
        login: { accountId: account.sub },
      }, { mergeWithLastSubmission: false });
      log(`interaction ${uid}: login ${account.sub}`);
      return seeOther(ctx, returnTo);
    }

    // action === 'confirm'
    if (prompt !== 'consent') {
      return fail(ctx, 409, `the interaction asks for ${prompt}, not consent`);
    }

    const grantId = await saveGrant(provider, details);
    const returnTo = await provider.interactionResult(ctx.req, ctx.res, {
      consent: { grantId },
    }, { mergeWithLastSubmission: true });
    log(`interaction ${uid}: consent for ${details.params.client_id}`);
    return seeOther(ctx, returnTo);
  };
}

async function saveGrant(provider, { grantId, session, params, prompt: { details } }) {
  const grant = grantId
    ? await provider.Grant.find(grantId)
    : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });

  if (details.missingOIDCScope) {
    grant.addOIDCScope(details.missingOIDCScope.join(' '));
  }
  if (details.missingOIDCClaims) {
    grant.addOIDCClaims(details.missingOIDCClaims);
  }
  if (details.missingResourceScopes) {
    for (const [indicator, scopes] of Object.entries(details.missingResourceScopes)) {
      grant.addResourceScope(indicator, scopes.join(' '));
    }
  }

  return grant.save();
}

async function readBody(ctx) {
  const chunks = [];
  let length = 0;
  for await (const chunk of ctx.req) {
    length += chunk.length;
    if (length > maxBodyBytes) {
      ctx.throw(413, 'request body too large');
    }
    chunks.push(chunk);
  }

  const text = Buffer.concat(chunks).toString('utf8');
  if (ctx.is('application/json')) {
    try {
      const parsed = JSON.parse(text);
      return parsed && typeof parsed === 'object' ? parsed : {};
    } catch {
      ctx.throw(400, 'invalid JSON body');
    }
  }

  return Object.fromEntries(new URLSearchParams(text));
}

function seeOther(ctx, location) {
  ctx.status = 303;
  ctx.redirect(location);
}

function fail(ctx, status, message) {
  ctx.status = status;
  ctx.type = 'text/plain';
  ctx.body = message;
}

function render(ctx, status, body) {
  ctx.status = status;
  ctx.type = 'html';
  ctx.body = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>SecureDialogue test sign-in</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: sans-serif; max-width: 28em; margin: 2em auto">
<p><strong>SecureDialogue development provider.</strong> Test accounts only.</p>
${body}
</body>
</html>`;
}

function loginPage(uid, details, error) {
  const hint = details.params.login_hint ? ` value="${escape(details.params.login_hint)}"` : '';
  return `<h1>Sign in</h1>
${error ? `<p role="alert" style="color: #b00">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}/login" data-prompt="login">
  <p><label>Login <input name="login" autocomplete="username" required${hint}></label></p>
  <p><label>Password <input name="password" type="password" autocomplete="current-password" required></label></p>
  <p><button type="submit">Sign in</button></p>
</form>
<p><a href="/interaction/${escape(uid)}/abort">Cancel</a></p>`;
}

function consentPage(uid, details) {
  const scopes = details.params.scope ? escape(details.params.scope) : '(none)';
  return `<h1>Allow ${escape(details.params.client_id)}?</h1>
<p>Signed in as <strong>${escape(details.session?.accountId ?? '')}</strong>. Requested scopes: ${scopes}.</p>
<form method="post" action="/interaction/${escape(uid)}/confirm" data-prompt="consent">
  <p><button type="submit">Allow</button></p>
</form>
<p><a href="/interaction/${escape(uid)}/abort">Deny</a></p>`;
}

function escape(value) {
  return String(value).replace(/[&<>"']/g, (c) => ({
    '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;',
  })[c]);
}
