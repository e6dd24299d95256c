using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Parley.Messaging;
using Parley.Messaging.Telnyx;
using Xunit;

namespace Parley.Tests.Messaging;

public sealed class TelnyxWebhookTests
{
    private static byte[] Payload(string name) =>
        File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Webhooks", "Payloads", name));

    private static TelnyxWebhookParse Parse(string json) => TelnyxWebhook.Parse(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Recorded_message_received_becomes_an_inbound_text()
    {
        var parse = TelnyxWebhook.Parse(Payload("message.received.json"));

        Assert.True(parse.IsValid, parse.Error);
        var e = parse.Event;
        Assert.Equal("b301ed3f-1490-491f-995f-6e64e69674d4", e.EventId);
        Assert.Equal("message.received", e.EventType);
        Assert.Equal(new DateTime(2025, 6, 3, 17, 42, 9, 588, DateTimeKind.Utc), e.OccurredAtUtc);
        Assert.Equal("84cca175-9755-4859-b67f-4730d7f58aa3", e.MessageId);
        Assert.Null(e.Delivery);
        Assert.Null(e.AutoresponseType);
        var inbound = Assert.IsType<InboundSms>(e.Inbound);
        Assert.Equal("84cca175-9755-4859-b67f-4730d7f58aa3", inbound.CarrierMessageId);
        Assert.Equal("+13125550142", inbound.From);
        Assert.Equal("+17735550188", inbound.To);
        Assert.Equal("Hi, this is Robert. Is the 3pm slot on Thursday still open?", inbound.Text);
        Assert.Equal(new DateTime(2025, 6, 3, 17, 42, 9, 503, DateTimeKind.Utc), inbound.ReceivedAtUtc);
        Assert.Equal(DateTimeKind.Utc, inbound.ReceivedAtUtc.Kind);
        Assert.Equal(1, inbound.Parts);
    }

    [Fact]
    public void Recorded_message_sent_becomes_a_sent_report()
    {
        var parse = TelnyxWebhook.Parse(Payload("message.sent.json"));

        Assert.True(parse.IsValid, parse.Error);
        Assert.Equal("4ee8c3a6-4995-4309-a3c6-38e3db9ea4be", parse.Event.EventId);
        Assert.Null(parse.Event.Inbound);
        var delivery = Assert.IsType<DeliveryReport>(parse.Event.Delivery);
        Assert.Equal("40385f64-5717-4562-b3fc-2c963f66afa6", delivery.CarrierMessageId);
        Assert.Equal(MessageStatus.Sent, delivery.Status);
        Assert.Equal(new DateTime(2025, 6, 3, 17, 42, 14, 118, DateTimeKind.Utc), delivery.OccurredAtUtc);
        Assert.Equal(2, delivery.Parts);
        Assert.Null(delivery.ErrorCode);
    }

    [Fact]
    public void Recorded_delivered_finalization_becomes_delivered()
    {
        var parse = TelnyxWebhook.Parse(Payload("message.finalized.delivered.json"));

        Assert.True(parse.IsValid, parse.Error);
        Assert.Equal("message.finalized", parse.Event.EventType);
        var delivery = Assert.IsType<DeliveryReport>(parse.Event.Delivery);
        Assert.Equal(MessageStatus.Delivered, delivery.Status);
        Assert.Equal("40385f64-5717-4562-b3fc-2c963f66afa6", delivery.CarrierMessageId);
        Assert.Null(delivery.ErrorCode);
        Assert.Null(delivery.ErrorDetail);
    }

    [Fact]
    public void Recorded_failed_finalization_carries_the_first_error()
    {
        var parse = TelnyxWebhook.Parse(Payload("message.finalized.failed.json"));

        Assert.True(parse.IsValid, parse.Error);
        var delivery = Assert.IsType<DeliveryReport>(parse.Event.Delivery);
        Assert.Equal(MessageStatus.Failed, delivery.Status);
        Assert.Equal("40001", delivery.ErrorCode);
        Assert.Equal("The destination number is not reachable by SMS; it may be a landline.", delivery.ErrorDetail);
        Assert.Equal(1, delivery.Parts);
    }

    [Theory]
    [InlineData("scheduled", MessageStatus.Queued)]
    [InlineData("queued", MessageStatus.Queued)]
    [InlineData("sending", MessageStatus.Queued)]
    [InlineData("sent", MessageStatus.Sent)]
    [InlineData("delivered", MessageStatus.Delivered)]
    [InlineData("delivery_unconfirmed", MessageStatus.DeliveryUnconfirmed)]
    [InlineData("delivery_failed", MessageStatus.Failed)]
    [InlineData("sending_failed", MessageStatus.Failed)]
    [InlineData("expired", MessageStatus.Failed)]
    [InlineData("cancelled", MessageStatus.Failed)]
    public void Telnyx_statuses_map_onto_the_forward_lifecycle(string telnyxStatus, MessageStatus expected)
    {
        var parse = Parse(Finalized(telnyxStatus));

        Assert.True(parse.IsValid, parse.Error);
        Assert.Equal(expected, parse.Event.Delivery!.Status);
    }

    [Fact]
    public void Error_title_is_used_when_there_is_no_detail()
    {
        var parse = Parse(Finalized("delivery_failed", errors: """[{"code":"40300","title":"Blocked due to STOP message"}]"""));

        Assert.True(parse.IsValid, parse.Error);
        Assert.Equal("40300", parse.Event.Delivery!.ErrorCode);
        Assert.Equal("Blocked due to STOP message", parse.Event.Delivery.ErrorDetail);
    }

    [Fact]
    public void Unknown_event_types_parse_without_inbound_or_delivery()
    {
        var parse = Parse("""
            {"data":{"record_type":"event","id":"ev-10dlc","event_type":"10dlc.campaign.update","occurred_at":"2025-06-03T18:00:00.000+00:00",
              "payload":{"campaignId":"CQ5ZSXY","status":"MNO_PROVISIONED","type":"TELNYX_EVENT"}},"meta":{"attempt":1}}
            """);

        Assert.True(parse.IsValid, parse.Error);
        Assert.Equal("10dlc.campaign.update", parse.Event.EventType);
        Assert.Equal("ev-10dlc", parse.Event.EventId);
        Assert.Null(parse.Event.Inbound);
        Assert.Null(parse.Event.Delivery);
        Assert.Null(parse.Event.MessageId);
    }

    [Fact]
    public void Autoresponse_type_of_an_inbound_keyword_is_kept()
    {
        var json = Received(extra: "\"autoresponse_type\":\"STOP\",");

        var parse = Parse(json);

        Assert.True(parse.IsValid, parse.Error);
        Assert.Equal("STOP", parse.Event.AutoresponseType);
    }

    [Fact]
    public void Media_only_message_with_null_text_has_empty_text()
    {
        var parse = Parse(Received(text: "null"));

        Assert.True(parse.IsValid, parse.Error);
        Assert.Equal("", parse.Event.Inbound!.Text);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "not valid JSON")]
    [InlineData("hello", "not valid JSON")]
    [InlineData("{\"data\":", "not valid JSON")]
    [InlineData("[]", "must be a JSON object")]
    [InlineData("[{\"data\":{}}]", "must be a JSON object")]
    [InlineData("42", "must be a JSON object")]
    [InlineData("null", "must be a JSON object")]
    [InlineData("{}", "data is required")]
    [InlineData("{\"data\":null}", "data is required")]
    [InlineData("{\"data\":\"x\"}", "data must be an object, not a string")]
    [InlineData("{\"data\":[]}", "data must be an object, not an array")]
    [InlineData("{\"data\":{\"event_type\":\"message.received\"}}", "data.id is required")]
    [InlineData("{\"data\":{\"id\":\"\",\"event_type\":\"message.received\"}}", "data.id is required")]
    [InlineData("{\"data\":{\"id\":42,\"event_type\":\"message.received\"}}", "data.id must be a string, not a number")]
    [InlineData("{\"data\":{\"id\":\"e1\"}}", "data.event_type is required")]
    [InlineData("{\"data\":{\"id\":\"e1\",\"event_type\":true}}", "data.event_type must be a string, not a boolean")]
    [InlineData("{\"data\":{\"id\":\"e1\",\"event_type\":\"message.received\"}}", "data.payload is required")]
    [InlineData("{\"data\":{\"id\":\"e1\",\"event_type\":\"message.received\",\"payload\":[]}}", "data.payload must be an object")]
    [InlineData("{\"data\":{\"id\":\"e1\",\"event_type\":\"x\",\"occurred_at\":\"yesterday\"}}", "data.occurred_at 'yesterday' is not an ISO 8601 date-time")]
    public void Malformed_envelopes_are_errors_not_exceptions(string json, string expectedError)
    {
        var parse = Parse(json);

        Assert.False(parse.IsValid);
        Assert.Contains(expectedError, parse.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"id\":\"m1\",", "\"id\":7,", "data.payload.id must be a string, not a number")]
    [InlineData("\"id\":\"m1\",", "", "data.payload.id is required")]
    [InlineData("\"from\":{\"phone_number\":\"+13125550142\"},", "", "data.payload.from is required")]
    [InlineData("\"from\":{\"phone_number\":\"+13125550142\"},", "\"from\":\"+13125550142\",", "data.payload.from must be an object, not a string")]
    [InlineData("\"from\":{\"phone_number\":\"+13125550142\"},", "\"from\":{\"phone_number\":13125550142},", "data.payload.from.phone_number must be a string, not a number")]
    [InlineData("\"to\":[{\"phone_number\":\"+17735550188\"}],", "\"to\":[],", "data.payload.to must not be empty")]
    [InlineData("\"to\":[{\"phone_number\":\"+17735550188\"}],", "\"to\":[\"+17735550188\"],", "data.payload.to[0] must be an object, not a string")]
    [InlineData("\"to\":[{\"phone_number\":\"+17735550188\"}],", "", "data.payload.to is required")]
    [InlineData("\"text\":\"hi\",", "", "data.payload.text is required")]
    [InlineData("\"text\":\"hi\",", "\"text\":{\"body\":\"hi\"},", "data.payload.text must be a string, not an object")]
    [InlineData("\"parts\":1,", "\"parts\":\"1\",", "data.payload.parts must be a non-negative whole number, not a string")]
    [InlineData("\"parts\":1,", "\"parts\":1.5,", "data.payload.parts must be a non-negative whole number")]
    [InlineData("\"parts\":1,", "\"parts\":-1,", "data.payload.parts must be a non-negative whole number")]
    [InlineData("\"received_at\":\"2025-06-03T17:42:09.503+00:00\",", "\"received_at\":\"soon\",", "data.payload.received_at 'soon' is not an ISO 8601 date-time")]
    public void Inbound_with_missing_or_mistyped_fields_is_an_error(string field, string replacement, string expectedError)
    {
        var json = Received();
        Assert.Contains(field, json, StringComparison.Ordinal);

        var parse = Parse(json.Replace(field, replacement, StringComparison.Ordinal));

        Assert.False(parse.IsValid);
        Assert.Contains(expectedError, parse.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("webhook_delivered", "is not a known Telnyx message status")]
    [InlineData("DELIVERED", "is not a known Telnyx message status")]
    public void Delivery_with_unknown_status_is_an_error(string status, string expectedError)
    {
        var parse = Parse(Finalized(status));

        Assert.False(parse.IsValid);
        Assert.Contains(expectedError, parse.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"errors\":{}", "data.payload.errors must be an array")]
    [InlineData("\"errors\":[\"40001\"]", "data.payload.errors[0] must be an object")]
    [InlineData("\"errors\":[{\"code\":[40001]}]", "data.payload.errors[0].code must be a string")]
    public void Delivery_with_mistyped_errors_is_an_error(string errors, string expectedError)
    {
        var parse = Parse(Finalized("delivery_failed", errors: errors["\"errors\":".Length..]));

        Assert.False(parse.IsValid);
        Assert.Contains(expectedError, parse.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Deeply_nested_json_is_an_error_not_a_stack_overflow()
    {
        var json = "{\"data\":" + new string('[', 100_000) + new string(']', 100_000) + "}";

        var parse = Parse(json);

        Assert.False(parse.IsValid);
        Assert.Contains("not valid JSON", parse.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_utf8_is_an_error()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"data\":{\"id\":\"e\",\"event_type\":\"x\"}}");
        bytes[15] = 0xFF;

        var parse = TelnyxWebhook.Parse(bytes);

        Assert.False(parse.IsValid);
        Assert.Contains("not valid UTF-8", parse.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Escaped_lone_surrogate_is_an_error()
    {
        var parse = Parse(Received(text: "\"\\ud800\""));

        Assert.False(parse.IsValid);
        Assert.Contains("not valid Unicode", parse.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Random_bytes_never_throw()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), bytes =>
        {
            var parse = TelnyxWebhook.Parse(bytes ?? []);
            return parse.IsValid || parse.Error is { Length: > 0 };
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Recorded_payloads_with_random_bytes_overwritten_never_throw()
    {
        var payloads = new[] { "message.received.json", "message.sent.json", "message.finalized.delivered.json", "message.finalized.failed.json" }
            .Select(Payload).ToArray();
        var mutations =
            from payload in Gen.Elements(payloads)
            from count in Gen.Choose(1, 6)
            from edits in Gen.ListOf(Gen.Zip(Gen.Choose(0, 10_000), ArbMap.Default.GeneratorFor<byte>()), count)
            select (payload, edits);

        Prop.ForAll(mutations.ToArbitrary(), m =>
        {
            var bytes = (byte[])m.payload.Clone();
            foreach (var (position, value) in m.edits)
            {
                bytes[position % bytes.Length] = value;
            }

            var parse = TelnyxWebhook.Parse(bytes);
            return parse.IsValid || parse.Error is { Length: > 0 };
        }).QuickCheckThrowOnFailure();
    }

    private static string Received(string text = "\"hi\"", string extra = "") =>
        "{\"data\":{\"record_type\":\"event\",\"id\":\"e1\",\"event_type\":\"message.received\",\"occurred_at\":\"2025-06-03T17:42:09.588+00:00\",\"payload\":{"
        + extra
        + "\"id\":\"m1\",\"direction\":\"inbound\",\"from\":{\"phone_number\":\"+13125550142\"},\"to\":[{\"phone_number\":\"+17735550188\"}],"
        + "\"parts\":1,\"received_at\":\"2025-06-03T17:42:09.503+00:00\",\"text\":" + text + ",\"type\":\"SMS\"}},\"meta\":{\"attempt\":1}}";

    private static string Finalized(string status, string errors = "[]") =>
        "{\"data\":{\"record_type\":\"event\",\"id\":\"e2\",\"event_type\":\"message.finalized\",\"occurred_at\":\"2025-06-03T17:42:16.902+00:00\",\"payload\":{"
        + "\"id\":\"m2\",\"direction\":\"outbound\",\"from\":{\"phone_number\":\"+17735550188\"},\"to\":[{\"phone_number\":\"+13125550142\",\"status\":\""
        + status + "\"}],\"parts\":1,\"errors\":" + errors + "}},\"meta\":{\"attempt\":1}}";
}
