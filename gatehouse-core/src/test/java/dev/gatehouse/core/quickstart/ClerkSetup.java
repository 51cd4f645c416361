package dev.gatehouse.core.quickstart;

import dev.gatehouse.core.Gatehouse;

final class ClerkSetup {
    private ClerkSetup() {
    }

    static Gatehouse clerk() {
// README:begin
Gatehouse clerk = Gatehouse.builder()
        .issuer("https://clerk.example.com")
        .acceptTokensWithoutAudience()
        .authorizedParties("https://app.example.com")   // required with acceptTokensWithoutAudience(); a missing azp fails
        .jwksUrl("https://clerk.example.com/.well-known/jwks.json")
        .build();
// README:end
        return clerk;
    }
}
