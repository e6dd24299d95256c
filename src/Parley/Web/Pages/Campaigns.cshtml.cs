using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Accounts;
using Parley.Campaigns;
using Parley.Data;
using Parley.Work;

namespace Parley.Web.Pages;

/// <summary>Campaigns: the list with live progress, and a new campaign from a CSV (previewed and mapped) or the contacts.</summary>
public sealed class CampaignsModel(ParleyDb db, TenantScope scope, TimeProvider time, IOptions<CampaignOptions> options, IOptions<ParleyLimits> limits)
    : DashboardPage(db)
{
    /// <summary>Largest CSV the page previews and keeps between its two steps; bigger files go through the API.</summary>
    public const int MaxCsvBytes = 4 * 1024 * 1024;

    public const int PreviewRows = 5;

    public sealed class CreateForm
    {
        public string? Name { get; set; }
        public string? Message { get; set; }
        public bool AiEnabled { get; set; } = true;

        /// <summary>Local date and time in the business's zone; empty starts when the campaign is started.</summary>
        public DateTime? ScheduledAt { get; set; }

        /// <summary>The uploaded file's text, carried from the preview to the create step.</summary>
        public string? Csv { get; set; }

        public int FirstNameColumn { get; set; } = -1;
        public List<int> PhoneColumns { get; set; } = [];
        public bool ClientsOnly { get; set; }
        public string? Company { get; set; }
    }

    [BindProperty]
    public CreateForm Form { get; set; } = new();

    [BindProperty]
    public IFormFile? Upload { get; set; }

    public AudienceCsv.Preview? Preview { get; private set; }

    /// <summary>The campaign just made, with the rows that were left out and why.</summary>
    public AudienceImport? Imported { get; private set; }

    public string? CreatedName { get; private set; }

    public IReadOnlyList<CampaignsApi.CampaignView> Campaigns { get; private set; } = [];

    public CampaignOptions Rates => options.Value;

    public string? Done { get; private set; }

    /// <summary>How many recipients the estimate counts: the previewed CSV's rows.</summary>
    public int EstimateRecipients => Preview?.RowCount ?? 0;

    public static int Finished(CampaignsApi.Counts c) => c.Sent + c.Delivered + c.Failed + c.Skipped;

    public static int Total(CampaignsApi.Counts c) => c.Queued + Finished(c);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Done = TempData["Done"] as string;
        await LoadAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostPreviewAsync(CancellationToken cancellationToken)
    {
        if (Upload is null || Upload.Length == 0)
        {
            ModelState.AddModelError("Upload", "Choose a CSV file with a header row and a phone column.");
        }
        else if (Upload.Length > MaxCsvBytes)
        {
            ModelState.AddModelError("Upload", $"This page previews files up to {MaxCsvBytes / 1024 / 1024} MB; upload larger lists with POST /api/campaigns/{{id}}/recipients.csv.");
        }
        else
        {
            using var reader = new StreamReader(Upload.OpenReadStream(), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            Form.Csv = await reader.ReadToEndAsync(cancellationToken);
            if (await PreviewAsync(cancellationToken) is { Error: null } preview)
            {
                Form.FirstNameColumn = preview.Suggested.FirstName;
                Form.PhoneColumns = [.. preview.Suggested.Phones];
            }
        }

        ModelState.Remove("Form.FirstNameColumn");
        ModelState.Remove("Form.PhoneColumns");
        ModelState.Remove("Form.Csv");
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostCreateAsync([FromServices] CampaignAudience audience, CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        if (string.IsNullOrEmpty(Form.Csv) && Upload is { Length: > 0 and <= MaxCsvBytes })
        {
            // A file chosen without a preview: its columns are the ones its header names suggest.
            using var reader = new StreamReader(Upload.OpenReadStream(), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            Form.Csv = await reader.ReadToEndAsync(cancellationToken);
            var suggested = (await PreviewAsync(cancellationToken)).Suggested;
            (Form.FirstNameColumn, Form.PhoneColumns) = (suggested.FirstName, [.. suggested.Phones]);
        }

        AudienceCsv.Result? csv = null;
        if (!string.IsNullOrEmpty(Form.Csv))
        {
            await PreviewAsync(cancellationToken);
            using var stream = new MemoryStream(Encoding.UTF8.GetBytes(Form.Csv));
            csv = await AudienceCsv.ReadAsync(stream, limits.Value, cancellationToken, new AudienceColumns(Form.FirstNameColumn, Form.PhoneColumns));
            if (csv.Error is { } error)
            {
                ModelState.AddModelError("Form.PhoneColumns", error);
                return Page();
            }
        }
        else if (!Form.ClientsOnly && string.IsNullOrWhiteSpace(Form.Company))
        {
            ModelState.AddModelError("Upload", "Upload a CSV of recipients, or pick contacts (clients only, or a company).");
            return Page();
        }

        DateTimeOffset? scheduled = Form.ScheduledAt is { } local
            ? new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), Zone))
            : null;
        var filter = Form.ClientsOnly || !string.IsNullOrWhiteSpace(Form.Company) ? new CampaignsApi.AudienceFilter(Form.ClientsOnly, Form.Company) : null;
        var result = await CampaignsApi.CreateAsync(new CampaignsApi.CreateCampaign(Form.Name, Form.Message, Form.AiEnabled, [], null, scheduled, null, filter),
            Db, scope, audience, time, options, limits, cancellationToken);
        if (!Accept(result.Result, nameof(Form)) || result.Result is not Created<CampaignsApi.Created> { Value: { } created })
        {
            return Page();
        }

        var fromContacts = new AudienceImport(created.Recipients, created.RejectedCount, created.Rejected);
        if (csv is not null)
        {
            var campaign = await Db.Campaigns.FirstAsync(c => c.Id == created.Id, cancellationToken);
            var fromCsv = await audience.AddAsync(Tenant, campaign, csv.Rows, csv.Unreadable, cancellationToken);
            fromContacts = new AudienceImport(fromContacts.Added + fromCsv.Added, fromContacts.RejectedCount + fromCsv.RejectedCount,
                [.. fromContacts.Rejected, .. fromCsv.Rejected]);
        }

        Imported = fromContacts;
        CreatedName = Form.Name!.Trim();
        Preview = null;
        Form = new CreateForm();
        ModelState.Clear();
        await LoadAsync(cancellationToken);
        return Page();
    }

    public Task<IActionResult> OnPostStartAsync(Guid id, [FromServices] WorkQueue work, CancellationToken cancellationToken) =>
        ChangeAsync("started", CampaignsApi.StartAsync(id, Db, work, time, options, cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostPauseAsync(Guid id, CancellationToken cancellationToken) =>
        ChangeAsync("paused", CampaignsApi.PauseAsync(id, Db, time, options, cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostResumeAsync(Guid id, [FromServices] WorkQueue work, CancellationToken cancellationToken) =>
        ChangeAsync("resumed", CampaignsApi.ResumeAsync(id, Db, work, time, options, cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostCancelAsync(Guid id, CancellationToken cancellationToken) =>
        ChangeAsync("cancelled", CampaignsApi.CancelAsync(id, Db, time, options, cancellationToken), cancellationToken);

    public async Task<IActionResult> OnPostAiAsync(Guid id, bool enabled, CancellationToken cancellationToken)
    {
        var result = await CampaignsApi.UpdateAsync(id, new CampaignsApi.UpdateCampaign(enabled), Db, time, options, cancellationToken);
        return await AfterAsync(result.Result, $"AI replies {(enabled ? "on" : "off")}", cancellationToken);
    }

    private async Task<IActionResult> ChangeAsync(string what, Task<Results<Ok<CampaignsApi.CampaignView>, NotFound, ProblemHttpResult>> change, CancellationToken cancellationToken) =>
        await AfterAsync((await change).Result, $"Campaign {what}", cancellationToken);

    private async Task<IActionResult> AfterAsync(IResult result, string done, CancellationToken cancellationToken)
    {
        if (Accept(result, "Change") && result is Ok<CampaignsApi.CampaignView> { Value: { } view })
        {
            TempData["Done"] = $"{done}: {view.Name}.";
            return RedirectToPage();
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task<AudienceCsv.Preview> PreviewAsync(CancellationToken cancellationToken)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(Form.Csv ?? ""));
        Preview = await AudienceCsv.PreviewAsync(stream, PreviewRows, cancellationToken);
        if (Preview.Error is { } error)
        {
            ModelState.AddModelError("Upload", error);
        }

        return Preview;
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        await LoadTenantAsync(cancellationToken);
        Campaigns = (await CampaignsApi.ListAsync(Db, time, options, cancellationToken)).Value!;
    }
}
