using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Parley.Accounts;
using Parley.Campaigns;
using Parley.Conversations;
using Parley.Data;

namespace Parley.Web.Pages;

/// <summary>Contacts: search and filter the list, add a client record, and import many from a CSV (previewed and
/// mapped first, with the campaigns' reader).</summary>
public sealed class ContactsModel(ParleyDb db, TenantScope scope, TimeProvider time, IOptions<ParleyLimits> limits) : DashboardPage(db)
{
    public const int PageSize = 25;

    public sealed class ContactForm
    {
        public string? FirstName { get; set; }
        public string? LastName { get; set; }
        public string? Company { get; set; }
        public string? TimeZone { get; set; }

        /// <summary>One number a line (or separated by commas).</summary>
        public string? Phones { get; set; }

        public ContactsApi.CreateContact Body() =>
            new(FirstName, LastName, Company, (Phones ?? "").Split(['\n', ',', ';'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries), TimeZone);
    }

    public sealed class ImportForm
    {
        public string? Csv { get; set; }
        public int FirstNameColumn { get; set; } = -1;
        public int LastNameColumn { get; set; } = -1;
        public int CompanyColumn { get; set; } = -1;
        public List<int> PhoneColumns { get; set; } = [];
    }

    [BindProperty(SupportsGet = true)]
    public string? Search { get; set; }

    /// <summary>"opted-out", "undeliverable", "clients" or "texters"; empty for everyone.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Filter { get; set; }

    [BindProperty(Name = "p", SupportsGet = true)]
    public int PageNumber { get; set; } = 1;

    [BindProperty]
    public ContactForm Form { get; set; } = new();

    [BindProperty]
    public ImportForm Import { get; set; } = new();

    [BindProperty]
    public IFormFile? Upload { get; set; }

    public ContactsApi.ContactList List { get; private set; } = new([], 0, 1, PageSize);

    public AudienceCsv.Preview? Preview { get; private set; }

    public ContactImport.Result? Imported { get; private set; }

    public int PageCount => Math.Max(1, (List.Total + PageSize - 1) / PageSize);

    public string PageUrl(int page) => "/contacts" + QueryString.Create(new Dictionary<string, string?>
    {
        ["search"] = string.IsNullOrWhiteSpace(Search) ? null : Search,
        ["filter"] = string.IsNullOrEmpty(Filter) ? null : Filter,
        ["p"] = page == 1 ? null : page.ToString(System.Globalization.CultureInfo.InvariantCulture),
    }.Where(p => p.Value is not null));

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken cancellationToken)
    {
        var result = await ContactsApi.CreateAsync(Form.Body(), Db, scope, time, cancellationToken);
        if (Accept(result.Result, nameof(Form)) && result.Result is Created<ContactsApi.ContactView> { Value: { } created })
        {
            return Redirect($"/contacts/{created.Id}?saved=1");
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostPreviewAsync(CancellationToken cancellationToken)
    {
        if (Upload is null || Upload.Length == 0)
        {
            ModelState.AddModelError("Upload", "Choose a CSV file with a header row, a name column and a phone column.");
        }
        else if (Upload.Length > CampaignsModel.MaxCsvBytes)
        {
            ModelState.AddModelError("Upload", $"This page reads files up to {CampaignsModel.MaxCsvBytes / 1024 / 1024} MB; import larger lists with POST /api/contacts/import.csv.");
        }
        else
        {
            using var reader = new StreamReader(Upload.OpenReadStream(), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            Import.Csv = await reader.ReadToEndAsync(cancellationToken);
            if (await PreviewAsync(cancellationToken) is { Error: null } preview)
            {
                (Import.FirstNameColumn, Import.LastNameColumn, Import.CompanyColumn) = (preview.Suggested.FirstName, preview.Suggested.LastName, preview.Suggested.Company);
                Import.PhoneColumns = [.. preview.Suggested.Phones];
            }
        }

        foreach (var key in ModelState.Keys.Where(k => k.StartsWith("Import.", StringComparison.Ordinal) || k.StartsWith("Form.", StringComparison.Ordinal)).ToList())
        {
            ModelState.Remove(key);
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostImportAsync([FromServices] ContactImport import, CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        if (string.IsNullOrEmpty(Import.Csv) || Import.Csv.Length > CampaignsModel.MaxCsvBytes)
        {
            ModelState.AddModelError("Upload", "Preview a CSV file first.");
            return Page();
        }

        if (Import.FirstNameColumn < 0)
        {
            await PreviewAsync(cancellationToken);
            ModelState.AddModelError("Import", "Pick the first name column: every client record needs a first name.");
            return Page();
        }

        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(Import.Csv));
        var csv = await AudienceCsv.ReadAsync(stream, limits.Value, cancellationToken,
            new AudienceColumns(Import.FirstNameColumn, Import.PhoneColumns, Import.LastNameColumn, Import.CompanyColumn));
        if (csv.Error is { } error)
        {
            await PreviewAsync(cancellationToken);
            ModelState.AddModelError("Import", error);
            return Page();
        }

        Imported = await import.ImportAsync(Tenant, csv.Rows, csv.Unreadable, cancellationToken);
        Import = new ImportForm();
        ModelState.Clear();
        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task<AudienceCsv.Preview> PreviewAsync(CancellationToken cancellationToken)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(Import.Csv ?? ""));
        Preview = await AudienceCsv.PreviewAsync(stream, CampaignsModel.PreviewRows, cancellationToken);
        if (Preview.Error is { } error)
        {
            ModelState.AddModelError("Upload", error);
        }

        return Preview;
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        await LoadTenantAsync(cancellationToken);
        bool? optedOut = Filter == "opted-out" ? true : null;
        bool? undeliverable = Filter == "undeliverable" ? true : null;
        bool? client = Filter switch { "clients" => true, "texters" => false, _ => null };
        PageNumber = Math.Clamp(PageNumber, 1, 100_000);
        var result = await ContactsApi.ListAsync(Db, Search, optedOut, undeliverable, client, PageNumber, PageSize, cancellationToken);
        if (Accept(result.Result, nameof(Search)) && result.Result is Ok<ContactsApi.ContactList> { Value: { } list })
        {
            List = list;
        }
    }
}
