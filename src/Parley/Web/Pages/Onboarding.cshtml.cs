using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Accounts;
using Parley.Data;

namespace Parley.Web.Pages;

public sealed class OnboardingModel(ParleyDb db, IOptions<ParleyOptions> parley, TimeProvider time) : DashboardPage(db)
{
    public sealed record Item(string Title, bool Done, string Detail, string? Link = null, string? LinkText = null);

    public IReadOnlyList<Item> Items { get; private set; } = [];

    public int Done => Items.Count(i => i.Done);

    public bool Sandbox => parley.Value.Carrier == CarrierKind.Sandbox;

    public bool HasNumber { get; private set; }

    public string? NewApiKey { get; private set; }

    [BindProperty]
    public string? Number { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        NewApiKey = TempData["ApiKey"] as string;
        await LoadAsync(cancellationToken);
    }

    /// <summary>In Sandbox mode a business may pick its own pretend number; real numbers are provisioned by the platform.</summary>
    public async Task<IActionResult> OnPostNumberAsync(CancellationToken cancellationToken)
    {
        await LoadTenantAsync(cancellationToken);
        if (!Sandbox)
        {
            return Forbid();
        }

        var result = await AdminApi.AddNumberAsync(Tenant.Id, new AdminApi.AddPhoneNumber(Number, null), Db, time, cancellationToken);
        if (Accept(result.Result, nameof(Number)))
        {
            return Redirect("/onboarding");
        }

        if (ModelState.TryGetValue(string.Empty, out var general) && general.Errors.Count > 0)
        {
            ModelState.AddModelError(nameof(Number), general.Errors[0].ErrorMessage);
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostDismissAsync(CancellationToken cancellationToken)
    {
        var id = User.UserId();
        var user = await Db.Users.FirstAsync(u => u.Id == id, cancellationToken);
        user.OnboardingDismissedAtUtc ??= time.GetUtcNow().UtcDateTime;
        await Db.SaveChangesAsync(cancellationToken);
        return Redirect("/");
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        await LoadTenantAsync(cancellationToken);
        var numbers = await Db.PhoneNumbers.Select(n => n.Number).ToListAsync(cancellationToken);
        HasNumber = numbers.Count > 0;
        var balance = await Db.WalletEntries.SumAsync(e => e.AmountMicros, cancellationToken);
        var assistant = await Db.Assistants.OrderByDescending(a => a.IsDefault).FirstOrDefaultAsync(cancellationToken);
        var tested = await Db.TesterSessions.AnyAsync(cancellationToken);
        var aiPlan = Tenant.Plan is Plan.Growth or Plan.Scale;
        Items =
        [
            new("Carrier", true, Sandbox ? "Sandbox carrier: try Parley with no carrier account." : "Telnyx is connected."),
            new("Phone number", HasNumber, HasNumber ? string.Join(", ", numbers) : Sandbox ? "Add a pretend number below." : "Ask us to connect your Telnyx number."),
            new("A2P registration", Tenant.A2pStatus == A2pStatus.Live, $"Status: {Tenant.A2pStatus}.", "/a2p", "Details"),
            new("Plan", aiPlan, aiPlan ? $"{Tenant.Plan}: AI replies included." : $"{Tenant.Plan}: AI replies need Growth or Scale.", "/billing", "Billing"),
            new("Wallet", balance > 0, $"Balance {Show.Dollars(balance)}.", "/billing", "Billing"),
            new("Assistant prompt", assistant is not null && assistant.SystemPrompt != Agent.Assistant.DefaultPrompt,
                assistant is not null && assistant.SystemPrompt != Agent.Assistant.DefaultPrompt ? "Your agent's voice is set." : "Still the default prompt: write how your agent should sound.", "/agents", "Edit"),
            new("Try it in the tester", tested, "Chat with your agent privately; no texts, no charge.", "/tester", "Open tester"),
        ];
    }
}
