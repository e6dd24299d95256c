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
