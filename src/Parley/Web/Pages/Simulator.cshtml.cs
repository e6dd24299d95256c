using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Accounts;
using Parley.Data;
using Parley.Messaging;
using Parley.Messaging.Sandbox;
using Parley.Work;

namespace Parley.Web.Pages;

/// <summary>Texts the agent through <see cref="SandboxApi"/>, the code behind <c>POST /api/sandbox/inbound</c>.</summary>
public sealed class SimulatorModel(ParleyDb db, TenantScope scope, WorkQueue work, TimeProvider time, IOptions<ParleyOptions> parley) : DashboardPage(db)
{
    public bool Sandbox => parley.Value.Carrier == CarrierKind.Sandbox;

    [BindProperty(SupportsGet = true)]
    public string? From { get; set; }

    [BindProperty]
    public string? Text { get; set; }

    public string? To { get; set; }

    public bool Sent { get; private set; }

    public Guid? ConversationId { get; private set; }

    public async Task OnGetAsync(bool sent, CancellationToken cancellationToken)
    {
        await LoadTenantAsync(cancellationToken);
        Sent = sent;
        if (sent && PhoneNumberParser.Default.TryNormalize(From, Tenant.DefaultCountry, out var number, out _))
        {
            ConversationId = await Db.ConversationPhones.Where(p => p.Number == number.Value).OrderByDescending(p => p.Id)
                .Select(p => (Guid?)p.ConversationId).FirstOrDefaultAsync(cancellationToken);
        }
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await LoadTenantAsync(cancellationToken);
        var result = await SandboxApi.SimulateInboundAsync(new SandboxApi.SimulatedText(From, null, Text), Db, scope, work, time, parley, cancellationToken);
        return Accept(result.Result) ? Redirect($"/simulator?sent=true&from={Uri.EscapeDataString(From ?? "")}") : Page();
    }
}
