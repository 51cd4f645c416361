package dev.gatehouse.identity.provider;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.token.BearerTokenError;
import com.nimbusds.openid.connect.sdk.UserInfoErrorResponse;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import dev.gatehouse.identity.users.UserId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The userinfo endpoint: a Bearer access token of ours (signature, {@code at+jwt}, issuer, expiry; not revoked,
 * its session not ended) gives the user's current claims, with the organization that was active when the token
 * was issued. Service tokens ({@code client_credentials}) have no user and are refused. Blocking (JDBC).
 */
final class Userinfo {
    private final ProviderCore core;

    Userinfo(ProviderCore core) {
        this.core = core;
    }

    HTTPResponse answer(HTTPRequest httpRequest) {
        UserInfoRequest request;
        try {
            request = UserInfoRequest.parse(httpRequest);
        } catch (ParseException e) {
            return new UserInfoErrorResponse(BearerTokenError.MISSING_TOKEN).toHTTPResponse();
        }
        Optional<JWTClaimsSet> token = core.minter.verify(request.getAccessToken().getValue(), TokenMinter.ACCESS_TOKEN, true);
        if (token.isEmpty() || !(token.get().getClaim("sid") instanceof String sid)
                || core.endedSessions.getIfPresent(sid) != null
                || token.get().getJWTID() == null || core.revokedAccessTokens.getIfPresent(token.get().getJWTID()) != null) {
            return new UserInfoErrorResponse(BearerTokenError.INVALID_TOKEN).toHTTPResponse();
        }
        String organizationId = null;
        if (token.get().getClaim("org") instanceof Map<?, ?> org && org.get("id") instanceof String id) {
            organizationId = id;
        }
        Optional<Map<String, Object>> claims = core.claims(new UserId(token.get().getSubject()), organizationId);
        if (claims.isEmpty()) {
            return new UserInfoErrorResponse(BearerTokenError.INVALID_TOKEN).toHTTPResponse();
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sub", token.get().getSubject());
        body.putAll(claims.get());
        HTTPResponse response = new HTTPResponse(HTTPResponse.SC_OK);
        response.setEntityContentType(com.nimbusds.common.contenttype.ContentType.APPLICATION_JSON);
        response.setCacheControl("no-store");
        response.setBody(JSONObjectUtils.toJSONString(body));
        return response;
    }
}
