using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Parley.Accounts;
using Parley.Conversations;
using Parley.Data;

namespace Parley.Web.Pages;

public sealed class IndexModel(ParleyDb db, TimeProvider time, IOptions<InboxOptions> inbox) : DashboardPage(db)
{
    public sealed class StartForm
    {
        public string? To { get; set; }
        public string? ContactName { get; set; }
        public string? Company { get; set; }
        public string? Message { get; set; }
    }

    [BindProperty(SupportsGet = true)]
    public string? Search { get; set; }

    [BindProperty(SupportsGet = true)]
    public DateTime? From { get; set; }

    /// <summary>Qualification status: an outcome name, or "None".</summary>
    [BindProperty(SupportsGet = true)]
    public string? Outcome { get; set; }

    [BindProperty(SupportsGet = true)]
    public DateTime? To { get; set; }

    /// <summary>Only the conversations assigned to the signed-in teammate.</summary>
    [BindProperty(SupportsGet = true)]
    public bool Mine { get; set; }

    [BindProperty]
    public StartForm Start { get; set; } = new();

    public bool NeedsAttention => HttpContext.Request.Path.StartsWithSegments("/needs-attention");

    /// <summary>The list as filtered, loaded with the page.</summary>
    public InboxList List { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostStartAsync([FromServices] TenantScope scope, [FromServices] ConversationFinder finder,
        [FromServices] OutboundMessages outbound, CancellationToken cancellationToken)
    {
        var result = await ConversationsApi.StartAsync(new ConversationsApi.StartConversation(Start.To, Start.ContactName, Start.Company, Start.Message),
            Db, scope, finder, outbound, cancellationToken);
        if (Accept(result.Result, nameof(Start)) && result.Result is Created<ConversationsApi.ConversationView> created)
        {
            return Redirect($"/conversations/{created.Value!.Id}");
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        await LoadTenantAsync(cancellationToken);
        List = new InboxList(new InboxFilter(Search, From, To, Outcome, Mine, NeedsAttention), Zone, time, inbox.Value.AttentionSla);
        await List.LoadAsync(Db, CurrentUserId, result => Accept(result, "List"), cancellationToken);
    }
}
