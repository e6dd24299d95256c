using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Parley.Billing;
using Parley.Campaigns;
using Parley.Conversations;
using Parley.Data;
using Parley.Messaging;
using Parley.Tests.Infrastructure;
using Parley.Work;

namespace Parley.Tests.Campaigns;

/// <summary>Campaigns through the real app: API → durable dispatch → outbox → Telnyx (a local fake over HTTP).
/// Run on their own, after the parallel classes: the 10k-row import and the campaign bursts are heavy for a
/// 2-core machine shared with timing-sensitive tests.</summary>
[Collection(nameof(CampaignTests))]
public sealed class CampaignTests(CampaignApp fixture) : IClassFixture<CampaignApp>
{
    private static int numbers = 3000;
    private static int day;

    private static string NextNumber(string area = "416") => $"+1{area}555{Interlocked.Increment(ref numbers) % 10000:D4}";

    /// <summary>Each test starts on a later day at 9:00 in Toronto, inside every window the tests rely on.</summary>
    private void NewDay() => fixture.Clock.Set(new DateTime(2026, 6, 1, 13, 0, 0, DateTimeKind.Utc).AddDays(Interlocked.Increment(ref day) * 2));

    private Task<TenantClient> TenantAsync(string plan = "Growth", decimal credit = 100) =>
        fixture.App.CreateTenantAsync(number: NextNumber(), plan: plan, credit: credit);

    private static async Task<Guid> CreateAsync(TenantClient tenant, IEnumerable<string> phones, string message = "Hi {firstName}, open house Sat at {company}. Reply STOP to opt out.", bool aiEnabled = true)
    {
        var created = await tenant.Http.PostJsonAsync("/api/campaigns", new { name = "Open house", message, aiEnabled, recipients = phones.Select(p => new { phone = p, firstName = "Ana" }) });
        return Guid.Parse(created["id"]!.GetValue<string>());
    }

    private static Task<JsonNode> GetAsync(TenantClient tenant, Guid id) => tenant.Http.GetJsonAsync($"/api/campaigns/{id}");

    private List<FakeTelnyxSendView> SendsTo(IEnumerable<string> phones)
    {
        var set = phones.ToHashSet();
        return fixture.Telnyx.Sends.Where(s => set.Contains(s.To)).Select(s => new FakeTelnyxSendView(s.To, s.Text)).ToList();
    }

    private sealed record FakeTelnyxSendView(string To, string Text);

    private static int Count(JsonNode campaign, string state) => campaign["counts"]![state]!.GetValue<int>();

    [Fact]
    public async Task Creating_a_campaign_reports_invalid_duplicate_and_opted_out_numbers_and_estimates_segments()
    {
        NewDay();
        var tenant = await TenantAsync();
        var optedOut = NextNumber();
        await fixture.App.QueryAsync(async db =>
        {
            var contact = new Contact { Id = Guid.CreateVersion7(), TenantId = tenant.Id, CreatedAtUtc = DateTime.UtcNow };
            contact.Phones.Add(new ContactPhone { Id = Guid.CreateVersion7(), TenantId = tenant.Id, ContactId = contact.Id, Number = optedOut, OptedOutAtUtc = DateTime.UtcNow });
            db.Contacts.Add(contact);
            return await db.SaveChangesAsync();
        }, tenant.Id);
        var good = NextNumber();
        var response = await tenant.Http.PostAsJsonAsync("/api/campaigns", new
        {
            name = "Spring",
            message = "Hi {firstName}! " + new string('a', 155),
            aiEnabled = false,
            recipients = new object[]
            {
                new { phone = good, firstName = "Ana" },
                new { phone = "not a number" },
                new { phone = good.Replace("+1", "", StringComparison.Ordinal) },
                new { phone = optedOut },
            },
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal(1, body["recipients"]!.GetValue<int>());
        var reasons = body["rejected"]!.AsArray().Select(r => r!["reason"]!.GetValue<string>()).ToList();
        Assert.Equal(3, reasons.Count);
        Assert.Contains(reasons, r => r.StartsWith("Invalid", StringComparison.Ordinal));
        Assert.Contains(reasons, r => r.StartsWith("Duplicate", StringComparison.Ordinal));
        Assert.Contains(reasons, r => r.StartsWith("Opted out", StringComparison.Ordinal));
        Assert.Equal(2, body["estimate"]!["segmentsPerMessage"]!.GetValue<int>());
        Assert.Equal(2, body["estimate"]!["totalSegments"]!.GetValue<long>());
    }

    [Fact]
    public async Task Bad_input_is_a_400_free_plans_get_403_and_another_tenants_campaign_is_404()
    {
        NewDay();
        var tenant = await TenantAsync();
        await (await tenant.Http.PostAsJsonAsync("/api/campaigns", new { name = "", message = "Hi {lastName}" })).AssertProblemAsync(400);
        var free = await TenantAsync(plan: "Free");
        await (await free.Http.PostAsJsonAsync("/api/campaigns", new { name = "x", message = "hi", recipients = Array.Empty<object>() })).AssertProblemAsync(403);

        var id = await CreateAsync(tenant, [NextNumber()]);
        var other = await TenantAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await other.Http.GetAsync($"/api/campaigns/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.Http.PostAsync($"/api/campaigns/{id}/start", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.Http.PatchAsJsonAsync($"/api/campaigns/{id}", new { aiEnabled = false })).StatusCode);
        using var csv = new StringContent("phone\n+14165550000\n", Encoding.UTF8, "text/csv");
        Assert.Equal(HttpStatusCode.NotFound, (await other.Http.PostAsync($"/api/campaigns/{id}/recipients.csv", csv)).StatusCode);
        Assert.Equal("Draft", (await GetAsync(tenant, id))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_csv_with_bom_quotes_several_phone_columns_and_bad_rows_is_imported_with_a_report()
    {
        NewDay();
        var tenant = await TenantAsync();
        var id = await CreateAsync(tenant, []);
        var (a, a2, b) = (NextNumber(), NextNumber(), NextNumber());
        var text = "\uFEFFfirst_name,Phone,phone2,Mobile\n"
            + $"\"Ana, Maria\",{a},\"{a2.Replace("+1", "(", StringComparison.Ordinal).Insert(4, ") ")}\",\n"
            + $"Bob,{b},,{a}\n"
            + "Cy,12,,\n"
            + ",,,\n"
            + "Dee,,,\n";
        using var content = new StringContent(text, Encoding.UTF8, "text/csv");
        var response = await tenant.Http.PostAsync($"/api/campaigns/{id}/recipients.csv", content);
        var body = await response.ReadJsonAsync();
        Assert.True(response.IsSuccessStatusCode, body.ToJsonString());
        Assert.Equal(3, body["added"]!.GetValue<int>());
        var rejected = body["rejected"]!.AsArray().Select(r => (r!["row"]!.GetValue<int>(), r["reason"]!.GetValue<string>())).ToList();
        Assert.Contains(rejected, r => r.Item1 == 3 && r.Item2.StartsWith("Duplicate", StringComparison.Ordinal));
        Assert.Contains(rejected, r => r.Item1 == 4 && r.Item2.StartsWith("Invalid", StringComparison.Ordinal));
        Assert.Contains(rejected, r => r.Item1 == 6 && r.Item2.StartsWith("No phone", StringComparison.Ordinal));

        var recipients = await fixture.App.QueryAsync(db => db.CampaignRecipients.Where(r => r.CampaignId == id).ToListAsync(), tenant.Id);
        Assert.Equal(recipients.Single(r => r.Phone == a).ContactId, recipients.Single(r => r.Phone == a2).ContactId);
        Assert.Equal("Ana, Maria", recipients.Single(r => r.Phone == a).FirstName);
        Assert.NotEqual(recipients.Single(r => r.Phone == a).ContactId, recipients.Single(r => r.Phone == b).ContactId);

        using var noPhone = new StringContent("name,email\nx,y\n", Encoding.UTF8, "text/csv");
        await (await tenant.Http.PostAsync($"/api/campaigns/{id}/recipients.csv", noPhone)).AssertProblemAsync(400);
    }

    [Fact]
    public async Task A_10k_row_csv_is_imported()
    {
        NewDay();
        var tenant = await TenantAsync();
        var id = await CreateAsync(tenant, []);
        var csv = new StringBuilder("firstName,phone\n");
        for (var i = 0; i < 10_000; i++)
        {
            csv.Append("Person").Append(i).Append(",+1647").Append((2_000_000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
        }

        using var content = new StringContent(csv.ToString(), Encoding.UTF8, "text/csv");
        var body = await (await tenant.Http.PostAsync($"/api/campaigns/{id}/recipients.csv", content)).ReadJsonAsync();
        Assert.Equal(10_000, body["added"]!.GetValue<int>());
        Assert.Equal(10_000, Count(await GetAsync(tenant, id), "queued"));
    }

    [Fact]
    public async Task A_campaign_texts_every_recipient_once_through_telnyx_and_completes()
    {
        NewDay();
        var tenant = await TenantAsync();
        var phones = Enumerable.Range(0, 4).Select(_ => NextNumber()).ToList();
        var id = await CreateAsync(tenant, phones);
        await (await tenant.Http.PostAsync($"/api/campaigns/{id}/start", null)).EnsureSuccessAsync();

        var campaign = await Eventually.GetAsync(() => GetAsync(tenant, id), c => c["status"]!.GetValue<string>() == "Completed");
        await Eventually.GetAsync(() => Task.FromResult(SendsTo(phones)), s => s.Count == 4);
        Assert.All(SendsTo(phones), s => Assert.Equal("Hi Ana, open house Sat at Maple Realty. Reply STOP to opt out.", s.Text));
        Assert.Equal(4, Count(campaign, "sent") + Count(campaign, "delivered"));
        Assert.True(campaign["costUsd"]!.GetValue<decimal>() > 0);
        var conversations = await fixture.App.QueryAsync(db => db.Conversations.Select(c => c.CampaignId).ToListAsync(), tenant.Id);
        Assert.All(conversations, c => Assert.Equal(id, c));
    }

    [Fact]
    public async Task A_number_the_carrier_cannot_deliver_to_is_skipped_with_the_reason()
    {
        NewDay();
        var tenant = await TenantAsync();
        var phones = Enumerable.Range(0, 3).Select(_ => NextNumber()).ToList();
        var id = await CreateAsync(tenant, phones);
        await fixture.App.QueryAsync(db => db.ContactPhones.Where(p => p.Number == phones[0])
            .ExecuteUpdateAsync(u => u.SetProperty(p => p.UndeliverableAtUtc, DateTime.UtcNow).SetProperty(p => p.UndeliverableReason, "Not routable (40001)")), tenant.Id);
        await (await tenant.Http.PostAsync($"/api/campaigns/{id}/start", null)).EnsureSuccessAsync();

        var campaign = await Eventually.GetAsync(() => GetAsync(tenant, id), c => c["status"]!.GetValue<string>() == "Completed");
        Assert.Equal(1, Count(campaign, "skipped"));
        Assert.DoesNotContain(SendsTo(phones), s => s.To == phones[0]);
        var reason = await fixture.App.QueryAsync(db => db.CampaignRecipients.Where(r => r.CampaignId == id && r.Phone == phones[0]).Select(r => r.SkipReason).FirstAsync(), tenant.Id);
        Assert.Equal("Undeliverable number", reason);
    }

    [Fact]
    public async Task Sends_are_held_to_the_per_number_rate_on_the_clock()
    {
        NewDay();
        var tenant = await TenantAsync();
        var phones = Enumerable.Range(0, 25).Select(_ => NextNumber()).ToList();
        var id = await CreateAsync(tenant, phones);
        await (await tenant.Http.PostAsync($"/api/campaigns/{id}/start", null)).EnsureSuccessAsync();
        for (var minute = 0; minute < 4; minute++)
        {
            await Eventually.GetAsync(() => GetAsync(tenant, id), c => Count(c, "queued") <= Math.Max(0, 25 - (minute + 1) * CampaignApp.PerNumberPerMinute));
            await Task.Delay(300); // give the dispatcher a chance to overshoot, if it would
            fixture.Clock.Advance(TimeSpan.FromSeconds(61));
        }

        var sentAt = await fixture.App.QueryAsync(db => db.CampaignRecipients.Where(r => r.CampaignId == id).Select(r => r.SentAtUtc!.Value).ToListAsync(), tenant.Id);
        Assert.Equal(25, sentAt.Count);
        foreach (var start in sentAt)
        {
            Assert.True(sentAt.Count(t => t >= start && t < start.AddMinutes(1)) <= CampaignApp.PerNumberPerMinute);
        }

        Assert.Equal(3, sentAt.Select(t => t).Distinct().Count());
    }

    [Fact]
    public async Task Carrier_back_pressure_slows_the_campaign_instead_of_failing_it()
    {
        NewDay();
        var tenant = await TenantAsync();
        var phones = Enumerable.Range(0, 18).Select(_ => NextNumber()).ToList();
        await QuietCarrierAsync();
        fixture.Telnyx.FailNext(429, "10011", "Too many requests", times: 30, retryAfter: TimeSpan.FromSeconds(30));
        var id = await CreateAsync(tenant, phones);
        await (await tenant.Http.PostAsync($"/api/campaigns/{id}/start", null)).EnsureSuccessAsync();
        await Eventually.GetAsync(() => GetAsync(tenant, id), c => Count(c, "queued") == 8);
        await Eventually.GetAsync(
            () => fixture.App.QueryAsync(db => db.WorkItems.CountAsync(w => w.TenantId == tenant.Id && w.Kind == OutboundSender.CampaignWork.Name && w.LastError != null && w.Status == WorkStatus.Pending)),
            n => n > 0);

        fixture.Clock.Advance(TimeSpan.FromSeconds(61));
        // Half of 10 per minute went out in the second minute: 8 queued become 3. (The "slowed" flag itself is
        // not asserted: whether a retried send has already succeeded when the view is read is a race.)
        var campaign = await Eventually.GetAsync(() => GetAsync(tenant, id), c => Count(c, "queued") == 3);
        Assert.Equal("Running", campaign["status"]!.GetValue<string>());
        await Task.Delay(300);
        Assert.Equal(3, Count(await GetAsync(tenant, id), "queued")); // half of 10 per minute

        for (var minute = 0; minute < 10 && SendsTo(phones).Select(s => s.To).Distinct().Count() < 18; minute++)
        {
            fixture.Clock.Advance(TimeSpan.FromSeconds(61));
            await Task.Delay(1000);
        }

        await Eventually.GetAsync(() => Task.FromResult(SendsTo(phones).Select(s => s.To).Distinct().Count()), n => n == 18);
        Assert.Equal(0, Count(await GetAsync(tenant, id), "failed"));
    }

    [Fact]
    public async Task Recipients_outside_their_local_window_wait_for_it_across_time_zones()
    {
        fixture.Clock.Set(new DateTime(2026, 9, 7, 13, 0, 0, DateTimeKind.Utc)); // Monday: 9:00 Toronto, 8:00 Austin, 6:00 Los Angeles
        Interlocked.Add(ref day, 200);
        var tenant = await TenantAsync();
        var (toronto, austin, la) = (NextNumber(), NextNumber("512"), NextNumber("213"));
        var id = await CreateAsync(tenant, [toronto, austin, la]);
        await (await tenant.Http.PostAsync($"/api/campaigns/{id}/start", null)).EnsureSuccessAsync();
        await Eventually.GetAsync(() => Task.FromResult(SendsTo([toronto])), s => s.Count == 1);
        var due = await fixture.App.QueryAsync(db => db.CampaignRecipients.Where(r => r.CampaignId == id).ToDictionaryAsync(r => r.Phone, r => r.DueAtUtc), tenant.Id);
        Assert.Equal(new DateTime(2026, 9, 7, 14, 0, 0, DateTimeKind.Utc), due[austin]); // Texas opens at 9:00 Central
        Assert.Equal(new DateTime(2026, 9, 7, 15, 0, 0, DateTimeKind.Utc), due[la]);
        Assert.Empty(SendsTo([austin, la]));

        fixture.Clock.Set(new DateTime(2026, 9, 7, 14, 0, 1, DateTimeKind.Utc));
        await Eventually.GetAsync(() => Task.FromResult(SendsTo([austin])), s => s.Count == 1);
        Assert.Empty(SendsTo([la]));
        fixture.Clock.Set(new DateTime(2026, 9, 7, 15, 0, 1, DateTimeKind.Utc));
        await Eventually.GetAsync(() => GetAsync(tenant, id), c => c["status"]!.GetValue<string>() == "Completed");
        await Eventually.GetAsync(() => Task.FromResult(SendsTo([la])), s => s.Count == 1);
    }

    [Fact]
    public async Task A_contacts_own_time_zone_overrides_the_area_code_for_quiet_hours()
    {
        fixture.Clock.Set(new DateTime(2026, 9, 14, 13, 0, 0, DateTimeKind.Utc)); // Monday 9:00 in Toronto, 6:00 in Los Angeles
        Interlocked.Add(ref day, 200);
        var tenant = await TenantAsync();
        var (movedWest, local) = (NextNumber(), NextNumber());
        await tenant.Http.PostJsonAsync("/api/contacts", new { firstName = "Kim", phones = new[] { movedWest }, timeZone = "America/Los_Angeles" });
        var id = await CreateAsync(tenant, [movedWest, local]);
        await (await tenant.Http.PostAsync($"/api/campaigns/{id}/start", null)).EnsureSuccessAsync();

        await Eventually.GetAsync(() => Task.FromResult(SendsTo([local])), s => s.Count == 1);
        var due = await Eventually.GetAsync(
            () => fixture.App.QueryAsync(db => db.CampaignRecipients.Where(r => r.CampaignId == id && r.Phone == movedWest).Select(r => r.DueAtUtc).SingleAsync(), tenant.Id),
            d => d > new DateTime(2026, 9, 14, 13, 0, 0, DateTimeKind.Utc));
        Assert.Equal(new DateTime(2026, 9, 14, 15, 0, 0, DateTimeKind.Utc), due); // 8:00 in Los Angeles
        Assert.Empty(SendsTo([movedWest]));

        var bad = await tenant.Http.PostAsJsonAsync("/api/contacts", new { firstName = "Lee", phones = new[] { NextNumber() }, timeZone = "Mars/Base" });
        await bad.AssertProblemAsync(400);
    }

    [Fact]
    public async Task An_audience_can_be_picked_from_contacts_by_id_and_by_filter()
    {
        NewDay();
        var tenant = await TenantAsync();
        var ana = await tenant.Http.PostJsonAsync("/api/contacts", new { firstName = "Ana", company = "Lopez Bakery", phones = new[] { NextNumber(), NextNumber() } });
        var bo = await tenant.Http.PostJsonAsync("/api/contacts", new { firstName = "Bo", company = "King Plumbing", phones = new[] { NextNumber() } });
        await tenant.Http.PostJsonAsync("/api/contacts", new { firstName = "Cy", company = "Acme", phones = new[] { NextNumber() } });

        var byFilter = await tenant.Http.PostJsonAsync("/api/campaigns", new { name = "Bakers", message = "Hi {firstName}!", aiEnabled = false, filter = new { clientsOnly = true, company = "bakery" } });
        Assert.Equal(2, byFilter["recipients"]!.GetValue<int>()); // both of Ana's phones

        var byId = await tenant.Http.PostJsonAsync("/api/campaigns", new
        {
            name = "Picked",
            message = "Hi {firstName}!",
            aiEnabled = false,
            contactIds = new[] { Guid.Parse(ana["id"]!.GetValue<string>()), Guid.Parse(bo["id"]!.GetValue<string>()) },
        });
        Assert.Equal(3, byId["recipients"]!.GetValue<int>());

        var other = await TenantAsync();
        var foreign = await other.Http.PostAsJsonAsync("/api/campaigns", new { name = "X", message = "Hi", aiEnabled = false, contactIds = new[] { Guid.Parse(ana["id"]!.GetValue<string>()) } });
        await foreign.AssertProblemAsync(400);
    }

    [Fact]
    public async Task An_opt_out_after_queuing_is_honoured_at_send_time()
    {
        NewDay();
        var tenant = await TenantAsync();
        var phone = NextNumber();
        await QuietCarrierAsync();
        fixture.Telnyx.FailNext(429, "10011", "Too many requests", times: 1, retryAfter: TimeSpan.FromSeconds(30));
        var id = await CreateAsync(tenant, [phone]);
        await (await tenant.Http.PostAsync($"/api/campaigns/{id}/start", null)).EnsureSuccessAsync();
        await Eventually.GetAsync(
            () => fixture.App.QueryAsync(db => db.Messages.Where(m => m.ContactNumber == phone).Select(m => m.SendAttempts).FirstOrDefaultAsync(), tenant.Id),
            n => n >= 1);
        await fixture.App.QueryAsync(db => db.ContactPhones.Where(p => p.Number == phone).ExecuteUpdateAsync(s => s.SetProperty(p => p.OptedOutAtUtc, DateTime.UtcNow)), tenant.Id);

        fixture.Clock.Advance(TimeSpan.FromMinutes(1));
        var campaign = await Eventually.GetAsync(() => GetAsync(tenant, id), c => Count(c, "failed") == 1);
        Assert.Empty(SendsTo([phone]));
        Assert.Equal(0m, campaign["costUsd"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task Once_a_contact_confirms_identity_on_one_phone_their_other_queued_phones_are_skipped()
    {
        NewDay();
        var tenant = await TenantAsync();
        var (home, cell) = (NextNumber(), NextNumber());
        var id = await CreateAsync(tenant, []);
        using (var csv = new StringContent($"first_name,phone,mobile\nMaria,{home},{cell}\n", Encoding.UTF8, "text/csv"))
        {
            (await tenant.Http.PostAsync($"/api/campaigns/{id}/recipients.csv", csv)).EnsureSuccessStatusCode();
        }

        // The contact answered on her cell and the agent confirmed who she is (as ConversationAgent does).
        await fixture.App.QueryAsync(async db =>
        {
            var contactId = await db.ContactPhones.Where(p => p.Number == cell).Select(p => p.ContactId).FirstAsync();
            var conversation = new Conversation
            {
                Id = Guid.CreateVersion7(),
                TenantId = tenant.Id,
                ContactId = contactId,
                TenantNumber = tenant.Number,
                IdentityConfirmed = true,
                CreatedAtUtc = fixture.Clock.GetUtcNow().UtcDateTime,
                LastMessageAtUtc = fixture.Clock.GetUtcNow().UtcDateTime,
            };
            db.Conversations.Add(conversation);
            db.Messages.Add(new Message
            {
                TenantId = tenant.Id,
                ConversationId = conversation.Id,
                Direction = MessageDirection.Inbound,
                Author = MessageAuthor.Contact,
                ContactNumber = cell,
                TenantNumber = tenant.Number,
                Text = "yes this is Maria",
                Status = MessageStatus.Received,
                CreatedAtUtc = fixture.Clock.GetUtcNow().UtcDateTime,
                StatusAtUtc = fixture.Clock.GetUtcNow().UtcDateTime,
            });
            return await db.SaveChangesAsync();
        }, tenant.Id);

        await (await tenant.Http.PostAsync($"/api/campaigns/{id}/start", null)).EnsureSuccessAsync();
        await Eventually.GetAsync(() => GetAsync(tenant, id), c => c["status"]!.GetValue<string>() == "Completed");
        var recipients = await fixture.App.QueryAsync(db => db.CampaignRecipients.Where(r => r.CampaignId == id).ToDictionaryAsync(r => r.Phone), tenant.Id);
        Assert.Equal(RecipientState.Skipped, recipients[home].State);
        Assert.Equal(CampaignDispatcher.VerifiedOwnerElsewhere, recipients[home].SkipReason);
        Assert.Equal(RecipientState.Sent, recipients[cell].State);
        await Eventually.GetAsync(() => Task.FromResult(SendsTo([cell])), s => s.Count == 1);
        Assert.Empty(SendsTo([home]));
    }

    [Fact]
    public async Task The_campaign_AI_switch_gates_replies_to_its_conversations()
    {
        NewDay();
        var tenant = await TenantAsync();
        var phone = NextNumber();
        var id = await CreateAsync(tenant, [phone], aiEnabled: false);
        await (await tenant.Http.PostAsync($"/api/campaigns/{id}/start", null)).EnsureSuccessAsync();
        await Eventually.GetAsync(() => Task.FromResult(SendsTo([phone])), s => s.Count == 1);

        await fixture.PostWebhookAsync(fixture.Telnyx.MessageReceivedJson($"evt-{Guid.NewGuid()}", $"msg-{Guid.NewGuid()}", phone, tenant.Number, "Is the house still for sale?"));
        await Eventually.GetAsync(() => tenant.Http.GetJsonAsync("/api/activity"), a => a.AsArray().Any(e => e!["detail"]!.GetValue<string>() == "The campaign's AI switch is off."));
        Assert.Single(SendsTo([phone]));

        (await tenant.Http.PatchAsJsonAsync($"/api/campaigns/{id}", new { aiEnabled = true })).EnsureSuccessStatusCode();
        await fixture.PostWebhookAsync(fixture.Telnyx.MessageReceivedJson($"evt-{Guid.NewGuid()}", $"msg-{Guid.NewGuid()}", phone, tenant.Number, "Hello? Is it still for sale?"));
        await Eventually.GetAsync(() => Task.FromResult(SendsTo([phone])), s => s.Count == 2);
    }

    [Fact]
    public async Task An_empty_wallet_blocks_the_start_and_pauses_a_running_campaign()
    {
        NewDay();
        var broke = await TenantAsync(credit: 0);
        var blocked = await CreateAsync(broke, [NextNumber()]);
        var problem = await (await broke.Http.PostAsync($"/api/campaigns/{blocked}/start", null)).AssertProblemAsync(409);
        Assert.Contains(CampaignDispatcher.EmptyWallet, problem, StringComparison.Ordinal);

        var tenant = await TenantAsync(credit: 1);
        var phones = Enumerable.Range(0, 12).Select(_ => NextNumber()).ToList();
        var id = await CreateAsync(tenant, phones);
        await (await tenant.Http.PostAsync($"/api/campaigns/{id}/start", null)).EnsureSuccessAsync();
        await Eventually.GetAsync(() => GetAsync(tenant, id), c => Count(c, "queued") == 2);
        await fixture.App.QueryAsync(db =>
        {
            db.WalletEntries.Add(new WalletEntry { TenantId = tenant.Id, Kind = WalletEntryKind.SmsSentCharge, AmountMicros = -1_000_000, CreatedAtUtc = DateTime.UtcNow });
            return db.SaveChangesAsync();
        }, tenant.Id);

        fixture.Clock.Advance(TimeSpan.FromSeconds(61));
        var campaign = await Eventually.GetAsync(() => GetAsync(tenant, id), c => c["status"]!.GetValue<string>() == "Paused");
        Assert.Equal(CampaignDispatcher.EmptyWallet, campaign["pausedReason"]!.GetValue<string>());
        Assert.Equal(2, Count(campaign, "queued"));
        await (await tenant.Http.PostAsync($"/api/campaigns/{id}/resume", null)).AssertProblemAsync(409);
    }

    [Fact]
    public async Task A_crash_mid_campaign_resumes_without_a_second_copy_to_anyone()
    {
        NewDay();
        var tenant = await TenantAsync();
        var phones = Enumerable.Range(0, 5).Select(_ => NextNumber()).ToList();
        var id = await CreateAsync(tenant, phones);
        // Running, but its dispatch is run here by hand rather than by the worker.
        await fixture.App.QueryAsync(db => db.Campaigns.Where(c => c.Id == id).ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, CampaignStatus.Running)), tenant.Id);
        var item = new WorkItem { Kind = CampaignDispatcher.Work.Name, Payload = $"{{\"campaignId\":\"{id}\"}}", TenantId = tenant.Id };

        // The process dies after the handler ran but before its transaction committed: nothing is kept.
        await RunDispatchAsync(tenant.Id, item, commit: false);
        Assert.Equal(0, await fixture.App.QueryAsync(db => db.Messages.CountAsync(), tenant.Id));
        Assert.Equal(5, Count(await GetAsync(tenant, id), "queued"));

        // The item runs again after the restart and commits; then it is delivered once more (a lost acknowledgement).
        await RunDispatchAsync(tenant.Id, item, commit: true);
        await RunDispatchAsync(tenant.Id, item, commit: true);
        await Eventually.GetAsync(() => Task.FromResult(SendsTo(phones)), s => s.Count == 5);
        await Task.Delay(500);
        Assert.Equal(5, SendsTo(phones).Count);
        Assert.Equal(phones.Order(), SendsTo(phones).Select(s => s.To).Order());
        Assert.Equal(5, await fixture.App.QueryAsync(db => db.Messages.CountAsync(), tenant.Id));
    }

    /// <summary>Earlier tests' sends have reached the carrier, so a scripted carrier error hits this test's send.</summary>
    private Task<int> QuietCarrierAsync() => Eventually.GetAsync(
        () => fixture.App.QueryAsync(db => db.WorkItems.CountAsync(w => OutboundSender.SendKinds.Contains(w.Kind) && (w.Status == WorkStatus.Pending || w.Status == WorkStatus.Running))),
        n => n == 0);

    private async Task RunDispatchAsync(Guid tenantId, WorkItem item, bool commit)
    {
        await using var scope = fixture.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ParleyDb>();
        db.UseTenant(tenantId);
        var handler = scope.ServiceProvider.GetRequiredKeyedService<IWorkHandler>(CampaignDispatcher.Work.Name);
        await handler.HandleAsync(item, CancellationToken.None);
        if (commit)
        {
            await db.SaveChangesAsync();
        }
    }
}

[CollectionDefinition(nameof(CampaignTests), DisableParallelization = true)]
public sealed class CampaignTestsCollection;

internal static class ResponseExtensions
{
    public static async Task EnsureSuccessAsync(this HttpResponseMessage response) =>
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
}
