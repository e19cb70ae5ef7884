// The JavaScript SignalR client (@microsoft/signalr) against the real dialogue hub, as a browser would use it: the
// token in the access_token query string, WebSockets only, no negotiation. Run by
// tests/Messaging.Tests/Dialogue/JsClientTests.cs.
//
//   SDLG_HUB_URL=http://127.0.0.1:PORT/hubs/dialogue SDLG_TOKEN=... node hub-client.mjs REVIEW_ID NOTICES
//
// Prints one JSON object per line on stdout:
//   {"event":"connected"}
//   {"event":"joined","reviewId":"...","channels":["dialogue"]}
//   {"event":"envelopeStored","reviewId":"...","channel":"dialogue","sequence":1}   (NOTICES times)
//   {"event":"refused","error":"...","upgrade":"Unexpected server response: 401"}  (the hub refused the connection)
// Exit codes: 0 done, 2 refused at connection, 3 JoinReview failed, 4 timed out (SDLG_TIMEOUT_MS, default 30000).
// The token comes from the environment, never the command line, and is never printed.
import signalR from '@microsoft/signalr';
import WebSocket from 'ws';

const [reviewId, wanted = '1'] = process.argv.slice(2);
const hubUrl = process.env.SDLG_HUB_URL;
const token = process.env.SDLG_TOKEN ?? '';
const timeoutMs = Number(process.env.SDLG_TIMEOUT_MS ?? 30000);

function emit(event) {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

// The client reports a failed WebSocket connection in general terms; the socket itself says how the upgrade was
// answered. Same 'ws' the client would use by itself, with one more error listener.
let upgradeError;
class RecordingWebSocket extends WebSocket {
  constructor(...args) {
    super(...args);
    this.on('error', (error) => {
      upgradeError = error.message;
    });
  }
}

// In Node, accessTokenFactory would send an Authorization header; browsers cannot, so they put the token in the
// query string. Do exactly what a browser sends.
const url = token === '' ? hubUrl : `${hubUrl}?access_token=${encodeURIComponent(token)}`;
const connection = new signalR.HubConnectionBuilder()
  .withUrl(url, { transport: signalR.HttpTransportType.WebSockets, skipNegotiation: true, WebSocket: RecordingWebSocket })
  .configureLogging(signalR.LogLevel.None)
  .build();

setTimeout(() => {
  emit({ event: 'timeout' });
  process.exit(4);
}, timeoutMs).unref();

let received = 0;
connection.on('EnvelopeStored', async (notice) => {
  emit({ event: 'envelopeStored', reviewId: notice.reviewId, channel: notice.channel, sequence: notice.sequence });
  received += 1;
  if (received >= Number(wanted)) {
    await connection.stop();
    process.exit(0);
  }
});

try {
  await connection.start();
} catch (error) {
  emit({ event: 'refused', error: String(error?.message ?? error), upgrade: upgradeError ?? null });
  process.exit(2);
}
emit({ event: 'connected' });

try {
  const joined = await connection.invoke('JoinReview', reviewId);
  emit({ event: 'joined', reviewId: joined.reviewId, channels: joined.channels });
} catch (error) {
  emit({ event: 'joinFailed', error: String(error?.message ?? error) });
  await connection.stop();
  process.exit(3);
}
