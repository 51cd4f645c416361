// Verifies one Gatehouse token the way a Node service would: keys from the JWKS URL, issuer, audience, ES256
// only, typ at+jwt. Reads {"jwks", "token", "issuer", "audience", "now"} as JSON on stdin (so the token is not
// in the process list; "now" is optional epoch seconds, for a gateway running on a test clock) and prints
// {"verified": true, "kid", "payload"} or {"verified": false, "code", "message"} on stdout.
import { createRemoteJWKSet, jwtVerify } from 'jose';

let text = '';
for await (const chunk of process.stdin) {
  text += chunk;
}
const input = JSON.parse(text);

try {
  const jwks = createRemoteJWKSet(new URL(input.jwks));
  const { payload, protectedHeader } = await jwtVerify(input.token, jwks, {
    issuer: input.issuer,
    audience: input.audience,
    algorithms: ['ES256'],
    typ: 'at+jwt',
    currentDate: input.now ? new Date(input.now * 1000) : undefined,
  });
  console.log(JSON.stringify({ verified: true, kid: protectedHeader.kid, payload }));
} catch (e) {
  console.log(JSON.stringify({ verified: false, code: e.code ?? e.name, message: e.message }));
}
