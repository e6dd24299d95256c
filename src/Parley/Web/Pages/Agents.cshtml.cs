using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Parley.Accounts;
using Parley.Agent;
using Parley.Data;

namespace Parley.Web.Pages;

public sealed class AgentsModel(ParleyDb db, TenantScope scope, AssistantSelector assistants, TimeProvider time) : DashboardPage(db)
{
    public sealed class AgentForm
    {
        public string? Name { get; set; }
        public string? SystemPrompt { get; set; }
        public int? MaxTurns { get; set; }
        public int? ReplyLengthLimit { get; set; }
        public AiMode? Mode { get; set; }

        /// <summary>Hours of quiet before each follow-up, comma-separated ("1, 24, 72"); empty for none.</summary>
        public string? FollowUpHours { get; set; }
    }

    [BindProperty]
    public AgentForm Form { get; set; } = new();

    public bool Saved { get; private set; }

    public bool Unpaused { get; private set; }

    /// <summary>Every agent of the tenant, for its delivery health and self-pause.</summary>
    public IReadOnlyList<Assistant> Agents { get; private set; } = [];

    public bool IsSelfPaused(Assistant agent) => agent.AutoPausedUntilUtc is { } until && until > time.GetUtcNow().UtcDateTime;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadTenantAsync(cancellationToken);
        var assistant = await assistants.DefaultAsync(scope.TenantId(), cancellationToken);
        Form = new AgentForm
        {
            Name = assistant.Name,
            SystemPrompt = assistant.SystemPrompt,
            MaxTurns = assistant.MaxTurns,
            ReplyLengthLimit = assistant.ReplyLengthLimit,
            Mode = assistant.Mode,
            FollowUpHours = string.Join(", ", FollowUps.FollowUpSchedule.Parse(assistant.FollowUpHours)),
        };
        Saved = TempData["Saved"] is true;
        Unpaused = TempData["Unpaused"] is true;
        await LoadAgentsAsync(cancellationToken);
    }

    /// <summary>"1, 24, 72" as hours; empty is none; null when it is not a list of whole numbers.</summary>
    private static List<int>? ReadHours(string? text)
    {
        var parts = (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var hours = new List<int>();
        foreach (var part in parts)
        {
            if (!int.TryParse(part, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var h))
            {
                return null;
            }

            hours.Add(h);
        }

        return hours;
    }

    public async Task<IActionResult> OnPostUnpauseAsync(Guid assistantId, [FromServices] ActivityLog log, CancellationToken cancellationToken)
    {
        var result = await AssistantsApi.UnpauseAsync(assistantId, Db, log, cancellationToken);
        if (result.Result is Microsoft.AspNetCore.Http.HttpResults.NotFound)
        {
            return NotFound();
        }

        TempData["Unpaused"] = true;
        return Redirect("/agents");
    }

    /// <summary>The saved agents; before the first save, the default agent the tenant would get.</summary>
    private async Task LoadAgentsAsync(CancellationToken cancellationToken)
    {
        var saved = await Db.Assistants.AsNoTracking().OrderBy(a => a.CreatedAtUtc).ToListAsync(cancellationToken);
        Agents = saved.Count > 0 ? saved : [await assistants.DefaultAsync(scope.TenantId(), cancellationToken)];
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await LoadTenantAsync(cancellationToken);
        var assistant = await assistants.DefaultAsync(scope.TenantId(), cancellationToken);
        await LoadAgentsAsync(cancellationToken);
        var hours = ReadHours(Form.FollowUpHours);
        if (hours is null)
        {
            ModelState.AddModelError($"{nameof(Form)}.{nameof(Form.FollowUpHours)}", "Follow-ups are whole hours separated by commas, e.g. 1, 24, 72.");
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        var body = new AssistantsApi.AssistantBody(Form.Name, Form.SystemPrompt, Form.MaxTurns ?? 0, true, Form.ReplyLengthLimit ?? 0, Form.Mode, hours);
        IResult result;
        if (Db.Entry(assistant).State == EntityState.Added)
        {
            // The tenant's first save: the default agent shown so far only existed in memory.
            Db.Entry(assistant).State = EntityState.Detached;
            result = (await AssistantsApi.CreateAsync(body, Db, scope, time, cancellationToken)).Result;
        }
        else
        {
            result = (await AssistantsApi.UpdateAsync(assistant.Id, body, Db, cancellationToken)).Result;
        }

        if (Accept(result, nameof(Form)))
        {
            TempData["Saved"] = true;
            return Redirect("/agents");
        }

        return Page();
    }
}
