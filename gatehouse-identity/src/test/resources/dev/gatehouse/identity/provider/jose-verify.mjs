// Verifies one token from the embedded provider the way a Node service would: keys from the JWKS URL, issuer,
// audience, ES256 only, and the expected typ ("at+jwt" for access tokens, "JWT" for ID tokens). Reads
// {"jwks", "token", "issuer", "audience", "typ"} as JSON on stdin and prints {"verified": true, "kid", "payload"}
// or {"verified": false, "code", "message"}. Run with the jose package resolvable from the working directory.
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
    typ: input.typ,
  });
  console.log(JSON.stringify({ verified: true, kid: protectedHeader.kid, payload }));
} catch (e) {
  console.log(JSON.stringify({ verified: false, code: e.code ?? e.name, message: e.message }));
}
