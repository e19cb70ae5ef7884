// RFC 8628 polling discipline for the device authorization grant, which oidc-provider leaves to the
// deployment: the device authorization response announces `interval`, and a token request for a pending
// device code that comes sooner than `interval` seconds after the previous one gets `slow_down`
// (section 3.5). The client must then add 5 seconds to its interval.
const deviceCodeGrant = 'urn:ietf:params:oauth:grant-type:device_code';

export function devicePolling(intervalSeconds) {
  // device code -> time of the previous poll (ms); entries go when the code is done or stale.
  const lastPoll = new Map();
  const intervalMs = intervalSeconds * 1000;

  return async function deviceCodePolling(ctx, next) {
    await next();

    if (ctx.method !== 'POST') {
      return;
    }

    if (ctx.oidc?.route === 'device_authorization' && ctx.status === 200 && ctx.body?.device_code) {
      ctx.body = { ...ctx.body, interval: intervalSeconds };
      return;
    }

    const params = ctx.oidc?.route === 'token' ? ctx.oidc.params : undefined;
    if (params?.grant_type !== deviceCodeGrant || typeof params.device_code !== 'string') {
      return;
    }

    const now = Date.now();
    const previous = lastPoll.get(params.device_code);
    if (ctx.body?.error !== 'authorization_pending') {
      lastPoll.delete(params.device_code);
      return;
    }

    lastPoll.set(params.device_code, now);
    // 100 ms of slack for timer and network jitter.
    if (previous !== undefined && now - previous < intervalMs - 100) {
      ctx.body = {
        error: 'slow_down',
        error_description: `poll at most every ${intervalSeconds} seconds`,
      };
    }

    for (const [code, at] of lastPoll) {
      if (now - at > 3600 * 1000) {
        lastPoll.delete(code);
      }
    }
  };
}
