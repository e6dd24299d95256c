using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Parley.Agent;
using Parley.Agent.OpenAi;
using Parley.Tests.Fakes;
using Xunit;

namespace Parley.Tests.Agent;

public sealed class OpenAiModelTests : IAsyncLifetime
{
    private const string Key = "sk-test-5ecret-key-0123456789";
    private static readonly DateTime At = new(2026, 11, 23, 19, 0, 0, DateTimeKind.Utc);

    private FakeChatCompletions _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeChatCompletions.StartAsync();

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    [Fact]
    public async Task Request_goes_to_chat_completions_with_bearer_key_model_and_strict_json_schema()
    {
        _fake.Reply(Decision("Hi! Who am I speaking with?"));

        await Model().DecideAsync(Context(), CancellationToken.None);

        var request = Assert.Single(_fake.Requests);
        Assert.Equal("/v1/chat/completions", request.Path);
        Assert.Equal($"Bearer {Key}", request.Authorization);
        Assert.Equal("gpt-test", request.Model);
        var format = request.Body.GetProperty("response_format");
        Assert.Equal("json_schema", format.GetProperty("type").GetString());
        var schema = format.GetProperty("json_schema");
        Assert.Equal("agent_decision", schema.GetProperty("name").GetString());
        Assert.True(schema.GetProperty("strict").GetBoolean());
        var shape = schema.GetProperty("schema");
        Assert.False(shape.GetProperty("additionalProperties").GetBoolean());
        Assert.Equal(
            ["reply", "outcome", "contactFirstName", "callbackAt", "sources", "unansweredQuestion"],
            shape.GetProperty("required").EnumerateArray().Select(p => p.GetString()!).ToArray());
        Assert.Equal(
            ["Ongoing", "AppointmentScheduled", "NotInterested", "NeedsHuman", "WrongPerson"],
            shape.GetProperty("properties").GetProperty("outcome").GetProperty("enum").EnumerateArray().Select(p => p.GetString()!).ToArray());
        var callbackAt = shape.GetProperty("properties").GetProperty("callbackAt");
        Assert.Equal(["string", "null"], callbackAt.GetProperty("type").EnumerateArray().Select(t => t.GetString()!).ToArray());
        Assert.Contains("ISO 8601", callbackAt.GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_key_a_placeholder_is_sent_and_a_trailing_slash_on_the_endpoint_is_harmless()
    {
        _fake.Reply(Decision("Hi"));
        var model = new OpenAiModel(new OpenAiModelOptions { Endpoint = new Uri(_fake.Endpoint + "/"), Model = "llama3.1", MaxRetries = 0 });

        await model.DecideAsync(Context(), CancellationToken.None);

        var request = Assert.Single(_fake.Requests);
        Assert.Equal("/v1/chat/completions", request.Path);
        Assert.Equal("Bearer unused", request.Authorization);
        Assert.Equal("openai:llama3.1", model.Name);
    }

    [Fact]
    public async Task System_message_carries_business_guide_contact_knowledge_local_time_and_rules()
    {
        _fake.Reply(Decision("Hi"));
        var context = Context() with
        {
            ContactFirstName = "Ana",
            ContactNotes = ["Emailed on Friday about gutters."],
            ReplyLengthLimit = 140,
        };

        await Model().DecideAsync(context, CancellationToken.None);

        var (role, system) = _fake.Requests[0].Messages[0];
        Assert.Equal("system", role);
        Assert.Contains("You are Sam from Sunrise Roofing.", system, StringComparison.Ordinal);
        Assert.Contains("Sunrise Roofing", system, StringComparison.Ordinal);
        Assert.Contains("Only offer weekday callbacks.", system, StringComparison.Ordinal);
        Assert.Contains("first name is Ana", system, StringComparison.Ordinal);
        Assert.Contains("Emailed on Friday about gutters.", system, StringComparison.Ordinal);
        Assert.Contains("Monday, 2026-11-23, 14:05", system, StringComparison.Ordinal);
        Assert.Contains("America/New_York", system, StringComparison.Ordinal);
        Assert.Contains("at most 140 characters", system, StringComparison.Ordinal);
        Assert.Contains("No markdown", system, StringComparison.Ordinal);
        Assert.Contains("No emoji", system, StringComparison.Ordinal);
        foreach (var outcome in new[] { "Ongoing", "AppointmentScheduled", "NotInterested", "NeedsHuman", "WrongPerson" })
        {
            Assert.Contains(outcome + ":", system, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("MaxTurnsReached", system, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_name_asks_for_it_and_an_unconfirmed_client_is_asked_to_confirm()
    {
        _fake.Reply(Decision("Hi, is this Maria?"));

        await Model().DecideAsync(Context() with { ClientFirstName = "Maria", IdentityConfirmed = false }, CancellationToken.None);

        var system = _fake.Requests[0].Messages[0].Content;
        Assert.Contains("do not know their first name", system, StringComparison.Ordinal);
        Assert.Contains("is this Maria?", system, StringComparison.Ordinal);
        Assert.Contains("first two messages", system, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_confirmed_client_is_not_asked_again()
    {
        _fake.Reply(Decision("Hi Maria"));

        await Model().DecideAsync(Context() with { ClientFirstName = "Maria", IdentityConfirmed = true }, CancellationToken.None);

        var system = _fake.Requests[0].Messages[0].Content;
        Assert.Contains("identity is confirmed", system, StringComparison.Ordinal);
        Assert.DoesNotContain("is this Maria?", system, StringComparison.Ordinal);
    }

    [Fact]
    public async Task History_is_mapped_to_roles_in_order_with_staff_marked()
    {
        _fake.Reply(Decision("Great"));
        var context = Context() with
        {
            History =
            [
                new(Speaker.Agent, "Hi, this is Sam from Sunrise Roofing.", At),
                new(Speaker.Contact, "Hi, I need a quote", At.AddMinutes(1)),
                new(Speaker.Human, "Bob here, we can come Friday.", At.AddMinutes(2)),
                new(Speaker.Contact, "Friday works", At.AddMinutes(3)),
            ],
        };

        await Model().DecideAsync(context, CancellationToken.None);

        Assert.Equal(
            [
                ("assistant", "Hi, this is Sam from Sunrise Roofing."),
                ("user", "Hi, I need a quote"),
                ("assistant", "[staff] Bob here, we can come Friday."),
                ("user", "Friday works"),
            ],
            _fake.Requests[0].Messages.Skip(1).ToArray());
    }

    [Theory]
    [InlineData("Ongoing", "What is your name?", AgentOutcome.Ongoing, "What is your name?")]
    [InlineData("NeedsHuman", "Someone from our team will text you shortly.", AgentOutcome.NeedsHuman, "Someone from our team will text you shortly.")]
    [InlineData("WrongPerson", "Sorry for the mix-up!", AgentOutcome.WrongPerson, "Sorry for the mix-up!")]
    [InlineData("NotInterested", null, AgentOutcome.NotInterested, null)]
    [InlineData("NotInterested", "Sorry to bother you", AgentOutcome.NotInterested, null)]
    [InlineData("Ongoing", "   ", AgentOutcome.Ongoing, null)]
    [InlineData("needsHuman", "Someone will follow up.", AgentOutcome.NeedsHuman, "Someone will follow up.")]
    public async Task Each_outcome_is_read_from_the_decision(string outcome, string? reply, AgentOutcome expected, string? expectedReply)
    {
        _fake.Reply(Decision(reply, outcome));

        var decision = await Model().DecideAsync(Context(), CancellationToken.None);

        Assert.Equal(expected, decision.Outcome);
        Assert.Equal(expectedReply, decision.Reply);
        Assert.Null(decision.CallbackAtLocal);
    }

    [Theory]
    [InlineData("2026-11-24T15:00:00", "2026-11-24T15:00:00")]
    [InlineData("2026-11-24T15:00", "2026-11-24T15:00:00")]
    [InlineData("2026-11-24 09:30", "2026-11-24T09:30:00")]
    [InlineData("2026-11-24T20:00:00Z", "2026-11-24T15:00:00")]
    [InlineData("2026-11-24T21:00:00+01:00", "2026-11-24T15:00:00")]
    [InlineData("2026-07-01T19:00:00Z", "2026-07-01T15:00:00")]
    public async Task An_agreed_callback_time_is_read_as_tenant_local_time(string callbackAt, string expectedLocal)
    {
        _fake.Reply(Decision("Booked for tomorrow at 3pm.", "AppointmentScheduled", "Ana", callbackAt));

        var decision = await Model().DecideAsync(Context(), CancellationToken.None);

        Assert.Equal(AgentOutcome.AppointmentScheduled, decision.Outcome);
        Assert.Equal("Booked for tomorrow at 3pm.", decision.Reply);
        Assert.Equal("Ana", decision.ContactFirstName);
        Assert.Equal(DateTime.Parse(expectedLocal, System.Globalization.CultureInfo.InvariantCulture), decision.CallbackAtLocal);
        Assert.Equal(DateTimeKind.Unspecified, decision.CallbackAtLocal!.Value.Kind);
    }

    [Fact]
    public async Task A_callback_time_is_dropped_when_nothing_was_booked()
    {
        _fake.Reply(Decision("Does 3pm work?", "Ongoing", null, "2026-11-24T15:00:00"));

        var decision = await Model().DecideAsync(Context(), CancellationToken.None);

        Assert.Null(decision.CallbackAtLocal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("tomorrow at 3")]
    [InlineData("24/11/2026 15:00")]
    [InlineData("2026-11-24")]
    public async Task An_appointment_without_a_valid_callback_time_is_malformed(string? callbackAt)
    {
        _fake.Reply(Decision("Booked!", "AppointmentScheduled", null, callbackAt))
            .Reply(Decision("Booked!", "AppointmentScheduled", null, callbackAt));

        var error = await Assert.ThrowsAsync<AgentModelException>(() => Model().DecideAsync(Context(), CancellationToken.None));

        Assert.Contains("callbackAt", error.Reason, StringComparison.Ordinal);
        Assert.Equal(2, _fake.Requests.Count);
    }

    [Theory]
    [InlineData("Ana", "Ana")]
    [InlineData("  Robert ", "Robert")]
    [InlineData("Mary-Jo", "Mary-Jo")]
    [InlineData("O'Neil", "O'Neil")]
    [InlineData("D\u2019Angelo", "D'Angelo")]
    [InlineData("José", "José")]
    [InlineData("Ana Maria", "Ana Maria")]
    [InlineData("I'm interested", null)]
    [InlineData("looking for a quote", null)]
    [InlineData("Ana123", null)]
    [InlineData("Robert \U0001F642", null)]
    [InlineData("null", null)]
    [InlineData("", null)]
    [InlineData("-Ana", null)]
    [InlineData("Abcdefghijklmnopqrstuvwxyzabcdefghijklmno", null)]
    public async Task The_learned_first_name_is_validated(string name, string? expected)
    {
        _fake.Reply(Decision("Thanks!", "Ongoing", name));

        var decision = await Model().DecideAsync(Context(), CancellationToken.None);

        Assert.Equal(expected, decision.ContactFirstName);
    }

    [Theory]
    [InlineData("```json\n{\"reply\":\"Hi Ana\",\"outcome\":\"Ongoing\",\"contactFirstName\":\"Ana\",\"callbackAt\":null}\n```")]
    [InlineData("```\n{\"reply\":\"Hi Ana\",\"outcome\":\"Ongoing\",\"contactFirstName\":\"Ana\",\"callbackAt\":null}\n```")]
    [InlineData("  {\"reply\":\"Hi Ana\",\"outcome\":\"Ongoing\",\"contactFirstName\":\"Ana\",\"callbackAt\":null}\n")]
    [InlineData("<think>They said Ana.</think>\n{\"reply\":\"Hi Ana\",\"outcome\":\"Ongoing\",\"contactFirstName\":\"Ana\",\"callbackAt\":null}")]
    public async Task A_json_object_in_fences_is_accepted(string content)
    {
        _fake.ReplyRaw(content);

        var decision = await Model().DecideAsync(Context(), CancellationToken.None);

        Assert.Equal("Hi Ana", decision.Reply);
        Assert.Equal("Ana", decision.ContactFirstName);
        Assert.Single(_fake.Requests);
    }

    [Fact]
    public async Task A_malformed_answer_is_asked_for_once_more_with_the_same_messages()
    {
        _fake.ReplyRaw("Sure, what time works for you?").Reply(Decision("What time works for you?"));

        var decision = await Model().DecideAsync(Context(), CancellationToken.None);

        Assert.Equal("What time works for you?", decision.Reply);
        Assert.Equal(2, _fake.Requests.Count);
        Assert.Equal(_fake.Requests[0].Body.GetProperty("messages").GetRawText(), _fake.Requests[1].Body.GetProperty("messages").GetRawText());
    }

    [Theory]
    [InlineData("Sure, what time works for you?")]
    [InlineData("Here you go: {\"reply\":\"Hi\",\"outcome\":\"Ongoing\",\"contactFirstName\":null,\"callbackAt\":null}")]
    [InlineData("```python\n{\"reply\":\"Hi\",\"outcome\":\"Ongoing\",\"contactFirstName\":null,\"callbackAt\":null}\n```")]
    [InlineData("{\"reply\":\"Hi\",\"outcome\":\"Ongoing\",\"contactFirstName\":null}")]
    [InlineData("{\"reply\":\"Hi\",\"outcome\":\"Ongoing\",\"contactFirstName\":null,\"callbackAt\":null,\"mood\":\"happy\"}")]
    [InlineData("{\"reply\":\"Hi\",\"outcome\":\"MaxTurnsReached\",\"contactFirstName\":null,\"callbackAt\":null}")]
    [InlineData("{\"reply\":\"Hi\",\"outcome\":\"Transferring you to a human\",\"contactFirstName\":null,\"callbackAt\":null}")]
    [InlineData("{\"reply\":\"Hi\",\"outcome\":0,\"contactFirstName\":null,\"callbackAt\":null}")]
    [InlineData("{\"reply\":42,\"outcome\":\"Ongoing\",\"contactFirstName\":null,\"callbackAt\":null}")]
    [InlineData("{\"reply\":\"Hi\",\"reply\":\"Hello\",\"outcome\":\"Ongoing\",\"contactFirstName\":null,\"callbackAt\":null}")]
    [InlineData("[{\"reply\":\"Hi\",\"outcome\":\"Ongoing\",\"contactFirstName\":null,\"callbackAt\":null}]")]
    [InlineData("{\"reply\":\"Hi\",\"outcome\":\"Ongoing\",\"contactFirstName\":null,\"callbackAt\":null,}")]
    [InlineData("{\"reply\":\"Hi\",\"outcome\":\"Ongoing\",")]
    [InlineData("")]
    public async Task A_malformed_answer_twice_fails_the_turn_and_is_never_sent_raw(string content)
    {
        _fake.ReplyRaw(content).ReplyRaw(content);

        var error = await Assert.ThrowsAsync<AgentModelException>(() => Model().DecideAsync(Context(), CancellationToken.None));

        Assert.StartsWith("The model's answer was not valid JSON of the decision shape (twice)", error.Reason, StringComparison.Ordinal);
        Assert.Equal(error.Message, error.Reason);
        Assert.Equal(2, _fake.Requests.Count);
    }

    [Theory]
    [InlineData(500, "The server had an error while processing your request.", "failed")]
    [InlineData(401, "Incorrect API key provided: " + Key + ".", "rejected the API key")]
    [InlineData(429, "Rate limit reached for gpt-test.", "rate limiting")]
    [InlineData(404, "The model `gpt-test` does not exist or you do not have access to it.", "gpt-test")]
    [InlineData(400, "Invalid schema for response_format 'agent_decision'.", "refused")]
    public async Task An_http_error_fails_the_turn_with_status_and_server_message_but_never_the_key(int status, string message, string expected)
    {
        _fake.Fail(status, message);

        var error = await Assert.ThrowsAsync<AgentModelException>(() => Model().DecideAsync(Context(), CancellationToken.None));

        Assert.Contains($"HTTP {status}", error.Reason, StringComparison.Ordinal);
        Assert.Contains(expected, error.Reason, StringComparison.Ordinal);
        Assert.Contains(message.Replace(Key, "***", StringComparison.Ordinal), error.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, error.ToString(), StringComparison.Ordinal);
        Assert.Single(_fake.Requests);
    }

    [Fact]
    public async Task A_transient_server_error_is_retried_once_by_the_transport()
    {
        _fake.Fail(503, "Overloaded", "server_error").Reply(Decision("Hi"));

        var decision = await Model(maxRetries: 1).DecideAsync(Context(), CancellationToken.None);

        Assert.Equal("Hi", decision.Reply);
        Assert.Equal(2, _fake.Requests.Count);
    }

    [Fact]
    public async Task A_server_slower_than_the_timeout_fails_the_turn()
    {
        _fake.Delay(TimeSpan.FromSeconds(5)).Reply(Decision("Too late"));

        var error = await Assert.ThrowsAsync<AgentModelException>(
            () => Model(timeout: TimeSpan.FromMilliseconds(500)).DecideAsync(Context(), CancellationToken.None));

        Assert.Contains("did not answer within 0.5 s", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_timed_out_attempt_is_retried_once_by_the_transport()
    {
        _fake.Delay(TimeSpan.FromSeconds(5)).Reply(Decision("Too late")).Reply(Decision("Hi"));

        var decision = await Model(timeout: TimeSpan.FromMilliseconds(500), maxRetries: 1).DecideAsync(Context(), CancellationToken.None);

        Assert.Equal("Hi", decision.Reply);
        Assert.Equal(2, _fake.Requests.Count);
    }

    [Fact]
    public async Task An_unreachable_endpoint_fails_the_turn()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var model = new OpenAiModel(new OpenAiModelOptions { Endpoint = new Uri($"http://127.0.0.1:{port}/v1"), ApiKey = Key, Model = "gpt-test", MaxRetries = 0 });

        var error = await Assert.ThrowsAsync<AgentModelException>(() => model.DecideAsync(Context(), CancellationToken.None));

        Assert.Contains("could not be reached", error.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_callers_cancellation_is_not_reported_as_a_model_failure()
    {
        _fake.Delay(TimeSpan.FromSeconds(5)).Reply(Decision("Too late"));
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Model().DecideAsync(Context(), cancellation.Token));
    }

    [Fact]
    public async Task Usage_is_reported_and_summed_over_the_retry()
    {
        _fake.ReplyRaw("Not JSON", promptTokens: 100, completionTokens: 10)
            .Reply(Decision("Hi"), promptTokens: 120, completionTokens: 30);

        var decision = await Model().DecideAsync(Context(), CancellationToken.None);

        var usage = Assert.IsType<AgentUsage>(decision.Usage);
        Assert.Equal("gpt-test", usage.Model);
        Assert.Equal(220, usage.InputTokens);
        Assert.Equal(40, usage.OutputTokens);
        Assert.True(usage.Latency > TimeSpan.Zero);
    }

    [Fact]
    public void Options_without_a_model_are_refused_with_a_clear_message()
    {
        var error = Assert.Throws<ArgumentException>(() => new OpenAiModel(new OpenAiModelOptions { Endpoint = _fake.Endpoint }));

        Assert.Contains("Parley:Ai:Model is required", error.Message, StringComparison.Ordinal);
    }

    private OpenAiModel Model(TimeSpan? timeout = null, int maxRetries = 0) => new(new OpenAiModelOptions
    {
        Endpoint = _fake.Endpoint,
        ApiKey = Key,
        Model = "gpt-test",
        Timeout = timeout ?? TimeSpan.FromSeconds(10),
        MaxRetries = maxRetries,
    });

    private static object Decision(string? reply, string outcome = "Ongoing", string? contactFirstName = null, string? callbackAt = null) =>
        new { reply, outcome, contactFirstName, callbackAt };

    private static AgentContext Context() => new(
        BusinessName: "Sunrise Roofing",
        SystemPrompt: "You are Sam from Sunrise Roofing.",
        Guide: "Only offer weekday callbacks.",
        History: [new TranscriptLine(Speaker.Contact, "Hi, do you do roof inspections?", At)],
        ContactFirstName: null,
        ClientFirstName: null,
        IdentityConfirmed: false,
        ContactNotes: [],
        LocalNow: new DateTime(2026, 11, 23, 14, 5, 0),
        TimeZoneId: "America/New_York");
}
