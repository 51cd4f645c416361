package dev.gatehouse.core.quickstart;

import dev.gatehouse.core.webhooks.Webhook;
import dev.gatehouse.core.webhooks.WebhookVerificationException;
import java.util.function.Function;

final class WebhookReceiver {
    private WebhookReceiver() {
    }

    static void receive(byte[] rawBody, Function<String, String> header) throws WebhookVerificationException {
// README:begin
Webhook webhook = Webhook.fromSecret(System.getenv("WEBHOOK_SECRET"));   // whsec_...
webhook.verify(rawBody, header);   // header: name -> value, e.g. request::getHeader; throws when not genuine: answer 400
// README:end
    }
}
