using Microsoft.AspNetCore.Mvc;
using Parley.Accounts;
using Parley.Agent;
using Parley.Data;

namespace Parley.Web.Pages;

public sealed class AgentsModel(ParleyDb db, TenantScope scope, AssistantSelector assistants) : DashboardPage(db)
{
    public sealed class AgentForm
    {
        public string? Name { get; set; }
        public string? SystemPrompt { get; set; }
        public int? MaxTurns { get; set; }
        public int? ReplyLengthLimit { get; set; }
    }

    [BindProperty]
    public AgentForm Form { get; set; } = new();

    public bool Saved { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadTenantAsync(cancellationToken);
        var assistant = await assistants.DefaultAsync(scope.TenantId(), cancellationToken);
        Form = new AgentForm { Name = assistant.Name, SystemPrompt = assistant.SystemPrompt, MaxTurns = assistant.MaxTurns, ReplyLengthLimit = assistant.ReplyLengthLimit };
        Saved = TempData["Saved"] is true;
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await LoadTenantAsync(cancellationToken);
        var assistant = await assistants.DefaultAsync(scope.TenantId(), cancellationToken);
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var result = await AssistantsApi.UpdateAsync(assistant.Id,
            new AssistantsApi.AssistantBody(Form.Name, Form.SystemPrompt, Form.MaxTurns ?? 0, true, Form.ReplyLengthLimit ?? 0), Db, cancellationToken);
        if (Accept(result.Result, nameof(Form)))
        {
            TempData["Saved"] = true;
            return Redirect("/agents");
        }

        return Page();
    }
}
