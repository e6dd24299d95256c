using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Parley.Accounts;
using Parley.Agent;
using Parley.Data;

namespace Parley.Web.Pages;

public sealed class TesterModel(ParleyDb db, TenantScope scope, AssistantSelector assistants, TurnRunner turn, TimeProvider time) : DashboardPage(db)
{
    [BindProperty(SupportsGet = true)]
    public Guid? SessionId { get; set; }

    [BindProperty]
    public string? Text { get; set; }

    public TesterApi.State? State { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (SessionId is null || !await Db.TesterSessions.AnyAsync(s => s.Id == SessionId, cancellationToken))
        {
            var created = await TesterApi.CreateAsync(null, Db, scope, assistants, time, cancellationToken);
            if (created.Result is not Created<TesterApi.CreatedSession> { Value: { } session })
            {
                Accept(created.Result);
                await LoadAsync(cancellationToken);
                return Page();
            }

            SessionId = session.Id;
        }

        var result = await TesterApi.TextAsync(SessionId.Value, new TesterApi.TesterText(Text), Db, turn, time, cancellationToken);
        if (Accept(result.Result, nameof(Text)))
        {
            return Redirect($"/tester?sessionId={SessionId}");
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    /// <summary>The passages an agent line stated facts from, as the tester remembered them.</summary>
    public IReadOnlyList<ReplySource> SourcesOf(TranscriptLine line) =>
        line.From == Speaker.Agent && State?.Cited?.FirstOrDefault(c => c.AtUtc == line.AtUtc && c.Text == line.Text) is { } cited ? cited.Sources : [];

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        await LoadTenantAsync(cancellationToken);
        if (SessionId is { } id && await Db.TesterSessions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, cancellationToken) is { } session)
        {
            State = JsonSerializer.Deserialize<TesterApi.State>(session.StateJson);
        }
    }
}
