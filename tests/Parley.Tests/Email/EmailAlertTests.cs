using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using Parley.Accounts;
using Parley.Tests.Fakes;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Email;

/// <summary>Parley on the Telnyx fake with email going to a real local SMTP server.</summary>
public sealed class EmailApp : TelnyxApp
{
    public EmailApp()
        : base(new() { ["Parley:Billing:LowBalanceCheckDelay"] = "00:00:00.200" })
    {
    }

    public SmtpInbox Inbox { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        Inbox = await SmtpInbox.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Inbox.DisposeAsync();
    }

    protected override Task<Dictionary<string, string?>> MoreSettingsAsync() => Task.FromResult(Inbox.AppSettings());
}

/// <summary>The people who should act hear about it by email: a conversation that needs a person, a call booked, a
/// wallet running low — once, to the owners who want it.</summary>
public sealed class EmailAlertTests(EmailApp fixture) : IClassFixture<EmailApp>
{
    private static int numbers = 6000;

    private static string NextNumber() => $"+1416555{Interlocked.Increment(ref numbers):D4}";

    private static string Domain() => $"{Guid.NewGuid():N}.example";

    private async Task InboundAsync(TenantClient tenant, string from, string text) =>
        (await fixture.PostWebhookAsync(fixture.Telnyx.MessageReceivedJson($"evt-{Guid.NewGuid()}", $"msg-{Guid.NewGuid()}", from, tenant.Number, text))).EnsureSuccessStatusCode();

    private Task<List<FakeTelnyxSend>> SendsToAsync(string number, int count) =>
        Eventually.GetAsync(() => Task.FromResult(fixture.Telnyx.Sends.Where(s => s.To == number).ToList()), s => s.Count >= count);

    private Task<IReadOnlyList<MimeMessage>> MailAsync(string address, int count) =>
        Eventually.GetAsync(() => Task.FromResult(fixture.Inbox.To(address)), m => m.Count >= count);

    private Task<int> AddUserAsync(TenantClient tenant, string email, UserRole role, bool alerts = true) =>
        fixture.App.QueryAsync(
            db =>
            {
                db.Users.Add(new User { Id = Guid.NewGuid(), TenantId = tenant.Id, Email = email, PasswordHash = "unused", Role = role, EmailAlerts = alerts, CreatedAtUtc = DateTime.UtcNow });
                return db.SaveChangesAsync();
            },
            tenant.Id);

    private Task<Guid> ConversationOfAsync(TenantClient tenant, string number) =>
        fixture.App.QueryAsync(db => db.Messages.Where(m => m.ContactNumber == number).Select(m => m.ConversationId).FirstAsync(), tenant.Id);

    [Theory]
    [InlineData("can i talk to a real person please")]
    [InlineData("Is there a human there? I'd rather speak to someone")]
    [InlineData("I want to speak with a manager")]
    public async Task A_texter_asking_for_a_person_emails_the_owners_who_want_alerts_with_a_link_to_the_thread(string text)
    {
        var tenant = await fixture.App.CreateTenantAsync(number: NextNumber(), credit: 20);
        var domain = Domain();
        await AddUserAsync(tenant, $"owner@{domain}", UserRole.Owner);
        await AddUserAsync(tenant, $"quiet@{domain}", UserRole.Owner, alerts: false);
        await AddUserAsync(tenant, $"mate@{domain}", UserRole.Member);
        var texter = NextNumber();

        await InboundAsync(tenant, texter, text);

        var mail = Assert.Single(await MailAsync($"owner@{domain}", 1));
        var conversation = await ConversationOfAsync(tenant, texter);
        Assert.StartsWith("Needs attention:", mail.Subject, StringComparison.Ordinal);
        Assert.Contains(texter, mail.Subject, StringComparison.Ordinal);
        Assert.Contains($"https://parley.test/conversations/{conversation}", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains(text, mail.TextBody, StringComparison.Ordinal);
        Assert.Equal("alerts@parley.test", mail.From.Mailboxes.Single().Address);
        await fixture.App.WorkDrainedAsync(tenant.Id);
        Assert.Empty(fixture.Inbox.To($"quiet@{domain}"));
        Assert.Empty(fixture.Inbox.To($"mate@{domain}"));
    }

    [Fact]
    public async Task A_conversation_that_escalates_again_soon_does_not_email_twice_but_another_conversation_does()
    {
        var tenant = await fixture.App.CreateTenantAsync(number: NextNumber(), credit: 20);
        var owner = $"owner@{Domain()}";
        await AddUserAsync(tenant, owner, UserRole.Owner);
        var texter = NextNumber();
        await InboundAsync(tenant, texter, "can I talk to a real person");
        await MailAsync(owner, 1);

        var conversation = await ConversationOfAsync(tenant, texter);
        (await tenant.Http.PostAsync($"/api/conversations/{conversation}/ai/resume", null)).EnsureSuccessStatusCode();
        await InboundAsync(tenant, texter, "no seriously, I need a human");
        await Eventually.GetAsync(
            () => fixture.App.QueryAsync(db => db.Conversations.Where(c => c.Id == conversation).Select(c => c.Outcome).SingleAsync(), tenant.Id),
            o => o == Parley.Agent.AgentOutcome.NeedsHuman);
        var other = NextNumber();
        await InboundAsync(tenant, other, "Put me through to a person please");

        var mails = await MailAsync(owner, 2);
        await fixture.App.WorkDrainedAsync(tenant.Id);
        Assert.Equal(2, fixture.Inbox.To(owner).Count);
        Assert.Single(mails, m => m.Subject!.Contains(texter, StringComparison.Ordinal));
        Assert.Single(mails, m => m.Subject!.Contains(other, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_assigned_conversation_alerts_its_teammate_instead_of_the_owners()
    {
        var tenant = await fixture.App.CreateTenantAsync(number: NextNumber(), credit: 20);
        var domain = Domain();
        await AddUserAsync(tenant, $"owner@{domain}", UserRole.Owner);
        await AddUserAsync(tenant, $"mate@{domain}", UserRole.Member);
        var mate = await fixture.App.QueryAsync(db => db.Users.Where(u => u.Email == $"mate@{domain}").Select(u => u.Id).SingleAsync(), tenant.Id);
        var texter = NextNumber();
        await InboundAsync(tenant, texter, "Hi, is the house on Elm St still available?");
        await SendsToAsync(texter, 1);
        var conversation = await ConversationOfAsync(tenant, texter);
        (await tenant.Http.PutAsJsonAsync($"/api/conversations/{conversation}/assignee", new { userId = mate })).EnsureSuccessStatusCode();

        await InboundAsync(tenant, texter, "actually can I just talk to a real person");

        Assert.StartsWith("Needs attention:", Assert.Single(await MailAsync($"mate@{domain}", 1)).Subject, StringComparison.Ordinal);
        await fixture.App.WorkDrainedAsync(tenant.Id);
        Assert.Empty(fixture.Inbox.To($"owner@{domain}"));
    }

    [Fact]
    public async Task A_booked_call_sends_one_call_booked_email_not_a_second_needs_attention_one()
    {
        var tenant = await fixture.App.CreateTenantAsync(number: NextNumber(), credit: 20);
        var owner = $"owner@{Domain()}";
        await AddUserAsync(tenant, owner, UserRole.Owner);
        var texter = NextNumber();
        await InboundAsync(tenant, texter, "Hi, is the house on Elm St still available?");
        await SendsToAsync(texter, 1);
        await InboundAsync(tenant, texter, "This is Robert");
        await SendsToAsync(texter, 2);
        await InboundAsync(tenant, texter, "tomorrow at 3pm works for a call");
        await SendsToAsync(texter, 3);

        var mail = Assert.Single(await MailAsync(owner, 1));
        await fixture.App.WorkDrainedAsync(tenant.Id);
        Assert.Single(fixture.Inbox.To(owner));
        Assert.StartsWith("Call booked: Robert", mail.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_tenant_s_escalation_never_reaches_this_tenant_s_owners()
    {
        var mine = await fixture.App.CreateTenantAsync(number: NextNumber(), credit: 20);
        var theirs = await fixture.App.CreateTenantAsync(number: NextNumber(), credit: 20);
        var (me, them) = ($"me@{Domain()}", $"them@{Domain()}");
        await AddUserAsync(mine, me, UserRole.Owner);
        await AddUserAsync(theirs, them, UserRole.Owner);

        await InboundAsync(theirs, NextNumber(), "let me talk to a real person");

        await MailAsync(them, 1);
        await fixture.App.WorkDrainedAsync(theirs.Id);
        Assert.Empty(fixture.Inbox.To(me));
    }

    [Fact]
    public async Task A_wallet_dipping_below_the_line_tells_the_owners_once_per_dip()
    {
        // $5.03 is just above the $5.00 line: one text and its AI reply take it below.
        var tenant = await fixture.App.CreateTenantAsync(number: NextNumber(), credit: 5.03m);
        var owner = $"owner@{Domain()}";
        await AddUserAsync(tenant, owner, UserRole.Owner);
        var texter = NextNumber();

        await InboundAsync(tenant, texter, "Hi, is the condo still for sale?");
        await SendsToAsync(texter, 1);
        var first = Assert.Single(await MailAsync(owner, 1), m => m.Subject!.Contains("wallet is low", StringComparison.Ordinal));
        Assert.Contains("https://parley.test/billing", first.TextBody, StringComparison.Ordinal);
        Assert.Contains("below 5.00", first.TextBody, StringComparison.Ordinal);

        await InboundAsync(tenant, texter, "What's the asking price?"); // still below: the same dip
        await SendsToAsync(texter, 2);
        await Task.Delay(600);
        await fixture.App.WorkDrainedAsync(tenant.Id);
        Assert.Single(fixture.Inbox.To(owner), m => m.Subject!.Contains("wallet is low", StringComparison.Ordinal));

        using var admin = fixture.App.Admin();
        await admin.PostJsonAsync($"/api/admin/tenants/{tenant.Id}/wallet/credits", new { amount = 0.2m });
        await InboundAsync(tenant, texter, "ok thanks"); // back above the line: the notice re-arms
        await Eventually.GetAsync(() => fixture.App.QueryAsync(db => db.Tenants.Where(t => t.Id == tenant.Id).Select(t => t.LowBalanceNotifiedAtUtc).SingleAsync()), at => at is null);

        var other = NextNumber();
        for (var i = 0; fixture.Inbox.To(owner).Count < 2 && i < 10; i++)
        {
            await InboundAsync(tenant, other, $"Is the condo on Elm still available? ({i})");
            await SendsToAsync(other, i + 1);
            await Task.Delay(300);
        }

        await MailAsync(owner, 2);
    }
}
