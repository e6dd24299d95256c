using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Parley.Agent;
using Parley.Agent.OpenAi;
using Parley.Tests.Fakes;
using Xunit;

namespace Parley.Tests.Agent;

/// <summary>The model client's resilience pipeline (Microsoft.Extensions.Http.Resilience) against a real local
/// OpenAI-compatible server: what is retried inside a turn, what is not waited out, and a circuit that stops every
/// turn from waiting on a model that is down.</summary>
public sealed class OpenAiResilienceTests : IAsyncLifetime
{
    private FakeChatCompletions _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeChatCompletions.StartAsync();

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    [Fact]
    public async Task A_short_rate_limit_is_waited_out_inside_the_turn()
    {
        _fake.Fail(429, "Rate limit reached for gpt-test.", "requests", retryAfterSeconds: 1).Reply(Decision("Hi, who am I speaking with?"));

        var decision = await Model(maxRetries: 1).DecideAsync(Chat.Context([(Speaker.Contact, "hi")]), CancellationToken.None);

        Assert.Equal("Hi, who am I speaking with?", decision.Reply);
        Assert.Equal(2, _fake.Requests.Count);
    }

    [Fact]
    public async Task A_long_rate_limit_fails_the_turn_at_once_instead_of_holding_a_worker()
    {
        _fake.Fail(429, "You exceeded your current quota.", "insufficient_quota", retryAfterSeconds: 600).Reply(Decision("too late"));

        var error = await Assert.ThrowsAsync<AgentModelException>(() => Model(maxRetries: 3).DecideAsync(Chat.Context([(Speaker.Contact, "hi")]), CancellationToken.None));

        Assert.Contains("rate limiting or out of quota (HTTP 429)", error.Reason, StringComparison.Ordinal);
        Assert.Single(_fake.Requests);
    }

    [Fact]
    public async Task A_model_that_keeps_failing_is_not_called_until_the_break_is_over()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var model = Model(maxRetries: 0, time: time);
        _fake.Fail(503, "Service unavailable", "server_error").Fail(500, "upstream exploded", "server_error");
        for (var i = 0; i < 2; i++)
        {
            var failed = await Assert.ThrowsAsync<AgentModelException>(() => model.DecideAsync(Chat.Context([(Speaker.Contact, "hello?")]), CancellationToken.None));
            Assert.Contains("failed (HTTP 50", failed.Reason, StringComparison.Ordinal);
        }

        _fake.Reply(Decision("Back again"));
        var broken = await Assert.ThrowsAsync<AgentModelException>(() => model.DecideAsync(Chat.Context([(Speaker.Contact, "anyone?")]), CancellationToken.None));

        Assert.Contains("keeps failing, so Parley stopped calling it for 30 s", broken.Reason, StringComparison.Ordinal);
        Assert.Equal(2, _fake.Requests.Count);

        time.Advance(TimeSpan.FromSeconds(31));
        var decision = await model.DecideAsync(Chat.Context([(Speaker.Contact, "anyone?")]), CancellationToken.None);
        Assert.Equal("Back again", decision.Reply);
        Assert.Equal(3, _fake.Requests.Count);
    }

    [Fact]
    public async Task The_registered_client_carries_the_pipeline_from_configuration()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Parley:Ai:Endpoint"] = _fake.Endpoint.ToString(),
            ["Parley:Ai:Model"] = "gpt-test",
            ["Parley:Ai:MaxRetries"] = "2",
            ["Parley:Ai:RetryBaseDelay"] = "00:00:00.050",
        }).Build();
        var services = new ServiceCollection().AddLogging().AddSingleton(TimeProvider.System);
        services.Configure<OpenAiModelOptions>(configuration.GetSection(OpenAiModelOptions.Section));
        await using var provider = services.AddOpenAiModel().BuildServiceProvider();
        _fake.Fail(502, "Bad gateway", "server_error").Fail(500, "upstream exploded", "server_error").Reply(Decision("Third time lucky"));

        var decision = await provider.GetRequiredService<OpenAiModel>().DecideAsync(Chat.Context([(Speaker.Contact, "hi")]), CancellationToken.None);

        Assert.Equal("Third time lucky", decision.Reply);
        Assert.Equal(3, _fake.Requests.Count);
    }

    private OpenAiModel Model(int maxRetries, TimeProvider? time = null) => new(
        new OpenAiModelOptions
        {
            Endpoint = _fake.Endpoint,
            Model = "gpt-test",
            MaxRetries = maxRetries,
            RetryBaseDelay = TimeSpan.FromMilliseconds(50),
            CircuitMinimumThroughput = 2,
        },
        timeProvider: time);

    private static object Decision(string reply) => new { reply, outcome = "Ongoing", contactFirstName = (string?)null, callbackAt = (string?)null };
}
