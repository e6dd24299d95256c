using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Web;

/// <summary>The contacts page and the API under it: what a person types or imports is what the API then shows.</summary>
public sealed partial class ContactsPageTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    private static int numbers = 3000;

    private static string NextNumber() => $"+1416555{Interlocked.Increment(ref numbers):D4}";

    /// <summary>A business signed in (the cookie reads the API) and its API key (which writes).</summary>
    private async Task<(HttpClient Client, HttpClient Api, Guid TenantId)> BusinessAsync(string email)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        (await Forms.SignUpAsync(client, email)).EnsureSuccessStatusCode();
        var tenantId = await app.QueryAsync(db => db.Users.IgnoreQueryFilters().Where(u => u.Email == email).Select(u => u.TenantId).SingleAsync());
        var api = app.CreateClient();
        api.DefaultRequestHeaders.Authorization = new("Bearer", await Forms.ApiKeyAsync(client));
        return (client, api, tenantId);
    }

    private static async Task<JsonElement> ContactsAsync(HttpClient client, string query = "") =>
        await client.GetFromJsonAsync<JsonElement>("/api/contacts" + query);

    private static string Decoded(string html) => WebUtility.HtmlDecode(html);

    [Fact]
    public async Task A_contact_created_and_edited_on_the_page_shows_in_the_api()
    {
        var (client, _, _) = await BusinessAsync("edit@contacts.example");
        var (first, second) = (NextNumber(), NextNumber());

        var created = await Forms.PostAsync(client, "/contacts", new Dictionary<string, string>
        {
            ["Form.FirstName"] = "Maria",
            ["Form.LastName"] = "Lopez",
            ["Form.Phones"] = first,
        }, "Create");
        Assert.Matches("/contacts/[0-9a-f-]+$", created.RequestMessage!.RequestUri!.AbsolutePath);
        var page = created.RequestMessage.RequestUri.AbsolutePath;
        var id = page.Split('/')[^1];

        var listed = await ContactsAsync(client, "?search=maria");
        Assert.Equal(1, listed.GetProperty("total").GetInt32());
        Assert.Equal("Lopez", listed.GetProperty("items")[0].GetProperty("lastName").GetString());

        // A zone that does not exist is explained and nothing changes.
        var refused = await Forms.PostAsync(client, page, new Dictionary<string, string>
        {
            ["Form.FirstName"] = "Maria",
            ["Form.Phones"] = first,
            ["Form.TimeZone"] = "Mars/Olympus",
        }, "Save");
        Assert.Contains("is not an IANA time zone", Decoded(await refused.Content.ReadAsStringAsync()), StringComparison.Ordinal);

        var saved = await Forms.PostAsync(client, page, new Dictionary<string, string>
        {
            ["Form.FirstName"] = "Maria",
            ["Form.LastName"] = "Lopez-Garcia",
            ["Form.Company"] = "Birch Dental",
            ["Form.TimeZone"] = "America/Chicago",
            ["Form.Phones"] = $"{first}\n{second[2..]}",
        }, "Save");
        Assert.Contains("id=\"saved\"", await saved.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var contact = await client.GetFromJsonAsync<JsonElement>($"/api/contacts/{id}");
        Assert.Equal("Lopez-Garcia", contact.GetProperty("lastName").GetString());
        Assert.Equal("Birch Dental", contact.GetProperty("company").GetString());
        Assert.Equal("America/Chicago", contact.GetProperty("timeZone").GetString());
        Assert.Equal([first, second], contact.GetProperty("phones").EnumerateArray().Select(p => p.GetString()).Order());
        Assert.True(contact.GetProperty("isClient").GetBoolean());

        // A note added on the page is one the agent reads, and the API lists it.
        await Forms.PostAsync(client, page, new Dictionary<string, string> { ["NoteText"] = "Called about a crown, prefers mornings.", ["NoteChannel"] = "call" }, "Note");
        var notes = await client.GetFromJsonAsync<JsonElement>($"/api/contacts/{id}/notes");
        Assert.Equal("Called about a crown, prefers mornings.", notes[0].GetProperty("text").GetString());
        Assert.Contains("prefers mornings", await client.GetStringAsync(page), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_csv_import_keeps_the_good_rows_and_reports_the_bad_ones_with_why()
    {
        var (client, api, _) = await BusinessAsync("import@contacts.example");
        var (ana, ben, taken) = (NextNumber(), NextNumber(), NextNumber());
        (await api.PostAsJsonAsync("/api/contacts", new { firstName = "Already", phones = new[] { taken } })).EnsureSuccessStatusCode();
        var csv = $"""
            Given Name,Surname,Employer,Mobile
            Ana,Silva,Oak Farms,{ana}
            ,NoFirstName,,{NextNumber()}
            Carl,Bad,,12
            Ben,Okafor,,{ben[2..]}
            Dora,Taken,,{taken}
            """;

        // The preview shows the first rows and picks the columns by their names.
        var html = await client.GetStringAsync("/contacts");
        var token = WebUtility.HtmlDecode(AntiforgeryToken().Match(html).Groups[1].Value);
        using var upload = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(csv)) { Headers = { ContentType = new("text/csv") } }, "Upload", "people.csv" },
        };
        var preview = await (await client.PostAsync("/contacts?handler=Preview", upload)).Content.ReadAsStringAsync();
        Assert.Contains("id=\"csv-preview\"", preview, StringComparison.Ordinal);
        Assert.Contains("<strong>5</strong> rows", preview, StringComparison.Ordinal);
        Assert.Matches("<select id=\"Import_FirstNameColumn\"[^>]*>\\s*<option value=\"-1\">None</option>\\s*<option value=\"0\" selected=\"selected\">", preview);
        Assert.Contains("name=\"Import.PhoneColumns\" value=\"3\" checked=\"checked\"", preview, StringComparison.Ordinal);

        var imported = await Forms.PostFieldsAsync(client, "/contacts",
        [
            new("Import.Csv", csv), new("Import.FirstNameColumn", "0"), new("Import.LastNameColumn", "1"), new("Import.CompanyColumn", "2"), new("Import.PhoneColumns", "3"),
        ], "Import");
        var result = Decoded(await imported.Content.ReadAsStringAsync());
        Assert.Contains("<strong id=\"imported-added\">2</strong>", result, StringComparison.Ordinal);
        var rejected = RejectedRow().Matches(result).Select(m => (Row: m.Groups[1].Value, Why: m.Groups[2].Value)).ToList();
        Assert.Equal(3, rejected.Count);
        Assert.Contains(rejected, r => r.Row == "3" && r.Why.Contains("first name", StringComparison.Ordinal));
        Assert.Contains(rejected, r => r.Row == "4" && r.Why.Contains("12", StringComparison.Ordinal));
        Assert.Contains(rejected, r => r.Row == "6" && r.Why.Contains("already belongs", StringComparison.Ordinal));

        var clients = await ContactsAsync(client, "?client=true");
        Assert.Equal(["Already", "Ana", "Ben"], clients.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("firstName").GetString()));
        var anaView = clients.GetProperty("items")[1];
        Assert.Equal("Oak Farms", anaView.GetProperty("company").GetString());
        Assert.Equal("Silva", anaView.GetProperty("lastName").GetString());

        // The API takes the same file: the good rows are now known, so they come back as refused.
        using var body = new StringContent(csv, System.Text.Encoding.UTF8, "text/csv");
        var again = await api.PostAsync("/api/contacts/import.csv", body);
        var report = await again.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(0, report.GetProperty("added").GetInt32());
        Assert.Equal(5, report.GetProperty("rejectedCount").GetInt32());
        using var text = new StringContent("not csv", System.Text.Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await api.PostAsync("/api/contacts/import.csv", text)).StatusCode);
    }

    [Fact]
    public async Task Search_filters_and_pages_return_the_right_contacts()
    {
        var (client, api, tenantId) = await BusinessAsync("filters@contacts.example");
        var (optedOut, undeliverable, plain) = (NextNumber(), NextNumber(), NextNumber());
        (await api.PostAsJsonAsync("/api/contacts", new { firstName = "Olive", lastName = "Out", phones = new[] { optedOut } })).EnsureSuccessStatusCode();
        (await api.PostAsJsonAsync("/api/contacts", new { firstName = "Uma", company = "Landline Co", phones = new[] { undeliverable } })).EnsureSuccessStatusCode();
        (await api.PostAsJsonAsync("/api/contacts", new { firstName = "Pat", lastName = "Plain", phones = new[] { plain } })).EnsureSuccessStatusCode();
        var now = DateTime.UtcNow;
        await app.QueryAsync(db => db.ContactPhones.Where(p => p.Number == optedOut).ExecuteUpdateAsync(u => u.SetProperty(p => p.OptedOutAtUtc, now)), tenantId);
        await app.QueryAsync(db => db.ContactPhones.Where(p => p.Number == undeliverable)
            .ExecuteUpdateAsync(u => u.SetProperty(p => p.UndeliverableAtUtc, now).SetProperty(p => p.UndeliverableReason, "Landline")), tenantId);

        static IEnumerable<string?> Names(JsonElement list) => list.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("firstName").GetString());
        Assert.Equal(["Olive"], Names(await ContactsAsync(client, "?optedOut=true")));
        Assert.Equal(["Uma"], Names(await ContactsAsync(client, "?undeliverable=true")));
        Assert.Equal(["Pat"], Names(await ContactsAsync(client, "?optedOut=false&undeliverable=false")));
        Assert.Equal(["Uma"], Names(await ContactsAsync(client, "?search=LANDLINE")));
        Assert.Equal(["Pat"], Names(await ContactsAsync(client, "?search=pat%20plain")));
        Assert.Equal(["Olive"], Names(await ContactsAsync(client, $"?search={Uri.EscapeDataString(optedOut[5..])}")));
        var second = await ContactsAsync(client, "?pageSize=2&page=2");
        Assert.Equal(3, second.GetProperty("total").GetInt32());
        Assert.Equal(["Uma"], Names(second));
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/contacts?pageSize=0")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"/api/contacts?search={new string('x', 101)}")).StatusCode);

        // The page shows the same rows, with each number's state.
        var page = await client.GetStringAsync("/contacts?filter=opted-out");
        Assert.Contains("Olive Out", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Pat Plain", page, StringComparison.Ordinal);
        Assert.Contains("Opted out", page, StringComparison.Ordinal);
        Assert.Contains("Undeliverable", await client.GetStringAsync("/contacts?filter=undeliverable"), StringComparison.Ordinal);

        // A number that opted out cannot be dropped from the record: its opt-out would be lost with it.
        var olive = (await ContactsAsync(client, "?optedOut=true")).GetProperty("items")[0].GetProperty("id").GetString();
        var drop = await api.PutAsJsonAsync($"/api/contacts/{olive}", new { firstName = "Olive", phones = new[] { NextNumber() } });
        Assert.Equal(HttpStatusCode.BadRequest, drop.StatusCode);
        Assert.Contains("opted out", await drop.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var clash = await api.PutAsJsonAsync($"/api/contacts/{olive}", new { firstName = "Olive", phones = new[] { optedOut, plain } });
        Assert.Equal(HttpStatusCode.Conflict, clash.StatusCode);
    }

    [Fact]
    public async Task Another_businesss_contact_is_not_found_on_the_page_or_the_api()
    {
        var (owner, ownerApi, _) = await BusinessAsync("mine@contacts.example");
        var created = await ownerApi.PostAsJsonAsync("/api/contacts", new { firstName = "Private", phones = new[] { NextNumber() } });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var (other, otherApi, _) = await BusinessAsync("other@contacts.example");

        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/contacts/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/contacts/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await otherApi.GetAsync($"/api/contacts/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/contacts/{id}/notes")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await otherApi.PutAsJsonAsync($"/api/contacts/{id}", new { firstName = "Stolen", phones = new[] { NextNumber() } })).StatusCode);
        Assert.Equal(0, (await ContactsAsync(other)).GetProperty("total").GetInt32());
        Assert.DoesNotContain("Private", await other.GetStringAsync("/contacts"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Odd_input_on_the_contacts_page_is_explained_never_a_failure()
    {
        var (client, _, _) = await BusinessAsync("odd@contacts.example");

        foreach (var url in new[] { "/contacts?p=abc", "/contacts?p=-5", "/contacts?p=99999999999", "/contacts?filter=%3Cscript%3E", $"/contacts?search={new string('x', 101)}", "/contacts?search=%25_%5C" })
        {
            using var response = await client.GetAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.OK, url);
        }

        Assert.Contains("Search is at most 100 characters.", await client.GetStringAsync($"/contacts?search={new string('x', 101)}"), StringComparison.Ordinal);
        var unpreviewed = await Forms.PostAsync(client, "/contacts", new Dictionary<string, string> { ["Import.FirstNameColumn"] = "0" }, "Import");
        Assert.Contains("Preview a CSV file first.", await unpreviewed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var outOfRange = await Forms.PostFieldsAsync(client, "/contacts", [new("Import.Csv", "first,phone\nAna,4165550100\n"), new("Import.FirstNameColumn", "0"), new("Import.PhoneColumns", "7")], "Import");
        Assert.Contains("pick columns among them", await outOfRange.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var noPhones = await Forms.PostAsync(client, "/contacts", new Dictionary<string, string> { ["Form.FirstName"] = "Nobody" }, "Create");
        Assert.Contains("Between 1 and 10 phone numbers are required.", await noPhones.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/contacts/{Guid.NewGuid()}")).StatusCode);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    [GeneratedRegex("<tr><td>(\\d+)</td><td>[^<]*</td><td>([^<]*)</td></tr>")]
    private static partial Regex RejectedRow();
}
