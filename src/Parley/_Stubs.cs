// TEMPORARY: stand-ins until the helper branches land. Not committed.
#pragma warning disable
namespace Parley.Agent
{
    public enum OptIntent { None, OptOut, OptIn, Help }
    public static class OptOutWords { public static OptIntent Classify(string t) => t.Trim().ToUpperInvariant() switch { "STOP" => OptIntent.OptOut, "START" => OptIntent.OptIn, _ => OptIntent.None }; }
}
namespace Parley.Agent.Rules
{
    public sealed class RulesModel : IAgentModel
    {
        public string Name => "rules-v1";
        public Task<AgentDecision> DecideAsync(AgentContext c, CancellationToken ct) => Task.FromResult(new AgentDecision($"Thanks! When is a good time for a quick call?", AgentOutcome.Ongoing, null, null));
    }
}
namespace Parley.Messaging.Telnyx
{
    public sealed class TelnyxOptions { public string BaseUrl { get; set; } = "https://api.telnyx.com"; public string? ApiKey { get; set; } public string? PublicKey { get; set; } public TimeSpan SignatureTolerance { get; set; } = TimeSpan.FromMinutes(5); public IEnumerable<string> Validate() => []; }
    public enum SignatureCheck { Valid, Missing, Malformed, Stale, Invalid }
    public sealed class TelnyxSignature(byte[] key, TimeProvider time, TimeSpan tol) { public SignatureCheck Verify(string? s, string? t, ReadOnlySpan<byte> b) => SignatureCheck.Valid; }
    public sealed record TelnyxEvent(string EventId, string EventType, DateTime? OccurredAtUtc, string? MessageId, InboundSms? Inbound, DeliveryReport? Delivery, string? AutoresponseType);
    public sealed record TelnyxWebhookParse(TelnyxEvent? Event, string? Error);
    public static class TelnyxWebhook { public static TelnyxWebhookParse Parse(ReadOnlySpan<byte> b) => new(null, "stub"); }
    public sealed class TelnyxCarrier(HttpClient http) : ICarrier { public string Name => "Telnyx"; public Task<CarrierSendResult> SendAsync(OutboundSms s, string k, CancellationToken c) => throw new NotImplementedException(); }
}
