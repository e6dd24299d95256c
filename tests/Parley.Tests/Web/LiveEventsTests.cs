using System.Net.Http.Headers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Parley.Conversations;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Web;

public sealed class LiveEventsTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    [Fact]
    public async Task Event_stream_tells_a_tenant_about_its_new_messages_and_nobody_else()
    {
        var mine = await app.CreateTenantAsync(number: "+14165550150");
        var theirs = await app.CreateTenantAsync(number: "+14165550160", name: "Elsewhere");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var theirStream = await OpenAsync(theirs, cts.Token);
        var myStream = await OpenAsync(mine, cts.Token);
        var events = app.Services.GetRequiredService<ConversationEvents>();
        await Eventually.GetAsync<int>(() => Task.FromResult(events.SubscriberCount(mine.Id)), n => n == 1);

        var started = await mine.Http.PostJsonAsync("/api/conversations", new { to = "+14165550151", message = "Hello there" });
        var id = started["id"]!.GetValue<string>();

        var seen = await ReadUntilAsync(myStream, "event: message.created", cts.Token);
        Assert.Contains($"\"conversationId\":\"{id}\"", seen, StringComparison.Ordinal);
        Assert.Contains("\"messageId\":", seen, StringComparison.Ordinal);
        var other = await ReadUntilAsync(theirStream, null, new CancellationTokenSource(TimeSpan.FromMilliseconds(500)).Token);
        Assert.DoesNotContain("event:", other, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Changes_inside_a_transaction_are_announced_only_when_it_commits()
    {
        var tenant = await app.CreateTenantAsync(number: "+14165550180");
        var started = await tenant.Http.PostJsonAsync("/api/conversations", new { to = "+14165550181", message = "Hello" });
        var id = Guid.Parse(started["id"]!.GetValue<string>());
        // The first text's own events (sent, delivered) must be over before listening for the transaction's.
        await Eventually.GetAsync(() => tenant.Http.GetJsonAsync($"/api/conversations/{id}/messages"), m => m[0]!["status"]!.GetValue<string>() == "Delivered");
        await Task.Delay(300);
        var events = app.Services.GetRequiredService<ConversationEvents>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await using var reader = events.SubscribeAsync(tenant.Id, cts.Token).GetAsyncEnumerator(cts.Token);
        var next = reader.MoveNextAsync().AsTask();

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Parley.Data.ParleyDb>();
        db.UseTenant(tenant.Id);
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            var conversation = await db.Conversations.FirstAsync(c => c.Id == id);
            conversation.AiPaused = true;
            await db.SaveChangesAsync();
            await Task.Delay(200);
            Assert.False(next.IsCompleted, "announced before the commit");
            await transaction.CommitAsync();
        }

        Assert.True(await next);
        Assert.Equal(new ConversationEvent("conversation.updated", id, null), reader.Current);
    }

    [Fact]
    public async Task Event_stream_requires_a_tenant()
    {
        using var client = app.CreateClient();
        var response = await client.GetAsync("/api/events");
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_slow_subscriber_keeps_only_the_newest_events()
    {
        var events = new ConversationEvents();
        var tenant = Guid.NewGuid();
        using var cts = new CancellationTokenSource();
        await using var reader = events.SubscribeAsync(tenant, cts.Token).GetAsyncEnumerator(cts.Token);
        var first = reader.MoveNextAsync().AsTask(); // subscribes, then waits
        for (var i = 0; i < ConversationEvents.BufferSize + 50; i++)
        {
            events.Publish(tenant, new ConversationEvent("message.created", Guid.Empty, i));
        }

        var got = new List<long?>();
        Assert.True(await first);
        got.Add(reader.Current.MessageId);
        cts.CancelAfter(TimeSpan.FromMilliseconds(300));
        try
        {
            while (await reader.MoveNextAsync())
            {
                got.Add(reader.Current.MessageId);
            }
        }
        catch (OperationCanceledException)
        {
        }

        Assert.True(got.Count <= ConversationEvents.BufferSize + 1, $"{got.Count} events kept");
        Assert.Equal(ConversationEvents.BufferSize + 49, got[^1]);
    }

    private static async Task<StreamReader> OpenAsync(TenantClient tenant, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/events");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tenant.ApiKey);
        var response = await tenant.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
    }

    private static async Task<string> ReadUntilAsync(StreamReader reader, string? marker, CancellationToken cancellationToken)
    {
        var seen = new System.Text.StringBuilder();
        try
        {
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                seen.AppendLine(line);
                if (marker is not null && seen.ToString().Contains(marker, StringComparison.Ordinal) && line.Length == 0)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (marker is null)
        {
        }

        return seen.ToString();
    }
}
