using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Parley.Tests.Infrastructure;
using static Parley.Tests.Knowledge.Import.TestDocuments;

namespace Parley.Tests.Knowledge.Import;

/// <summary>Uploaded files as knowledge through the real API.</summary>
public sealed class ImportFileApiTests(ImportApp app) : IClassFixture<ImportApp>
{
    private static int nextNumber = 3300;

    private static string NextNumber() => $"+1416555{Interlocked.Increment(ref nextNumber):D4}";

    private static MultipartFormDataContent Form(params (string Name, byte[] Bytes, string ContentType)[] files)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, bytes, contentType) in files)
        {
            var part = new ByteArrayContent(bytes);
            part.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            form.Add(part, "files", name);
        }

        return form;
    }

    private static (string, byte[], string) Text(string name, string text, string contentType = "text/plain") => (name, Encoding.UTF8.GetBytes(text), contentType);

    [Fact]
    public async Task Several_files_of_different_kinds_become_one_source_each_with_their_entries()
    {
        var tenant = await app.CreateTenantAsync(number: NextNumber());
        var docx = Docx("Seller handbook", [Para("Heading1", "Who we are"), Para(null, "A family company buying houses since 2009.")]);
        var pdf = Pdf("Guide", false, ["# Closing", "Seven to fourteen days."]);

        var response = await tenant.Http.PostAsync("/api/knowledge/files", Form(
            Text("faq.md", "# FAQ\n\n## Fees\n\nNone at all.\n\n## Repairs\n\nWe buy as-is.", "text/markdown"),
            Text("listings.csv", "Address,Price,Beds\n12 Elm St,\"$349,900\",3\n48 Oak Ave,$415000,4", "text/csv"),
            ("handbook.docx", docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            ("guide.pdf", pdf, "application/pdf")));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var sources = (await response.ReadJsonAsync()).AsArray();
        Assert.Equal(["faq.md:2", "listings.csv:2", "handbook.docx:1", "guide.pdf:1"], sources.Select(s => $"{s!["name"]}:{s["entryCount"]}"));
        Assert.All(sources, s => Assert.Equal("File", s!["kind"]!.GetValue<string>()));
        Assert.All(sources, s => Assert.Null(s!["nextFetchAt"]));

        var entries = (await tenant.Http.GetJsonAsync("/api/knowledge")).AsArray();
        Assert.Equal(6, entries.Count);
        Assert.Contains(entries, e => e!["title"]!.GetValue<string>() == "12 Elm St" && e["text"]!.GetValue<string>() == "Price: $349,900\n\nBeds: 3");
        Assert.Contains(entries, e => e!["heading"]?.GetValue<string>() == "Repairs" && e["text"]!.GetValue<string>() == "We buy as-is.");
        Assert.Contains(entries, e => e!["heading"]?.GetValue<string>() == "Closing" && e["text"]!.GetValue<string>() == "Seven to fourteen days.");
        Assert.Equal(4, (await tenant.Http.GetJsonAsync("/api/knowledge/sources")).AsArray().Count);
    }

    public static TheoryData<string, byte[], string, int, string> BadFiles => new()
    {
        { "empty.txt", [], "text/plain", 400, "empty.txt\\\" is empty." },
        { "brochure.doc", Encoding.UTF8.GetBytes("old word"), "application/msword", 415, "is a .doc file" },
        { "faq.pdf", Encoding.UTF8.GetBytes("We buy houses."), "application/pdf", 400, "is not a PDF" },
        { "photo.txt", [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13], "text/plain", 400, "is a PNG image, not text" },
        { "huge.txt", Encoding.UTF8.GetBytes(new string('a', 70_000)), "text/plain", 413, "larger than 64 KB" },
        { "toc.md", Encoding.UTF8.GetBytes("# Title\n\n## Part one"), "text/markdown", 400, "has no text to read" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task One_bad_file_refuses_the_whole_upload_with_a_problem_naming_it_and_stores_nothing(string name, byte[] bytes, string contentType, int status, string message)
    {
        var tenant = await app.CreateTenantAsync(number: NextNumber());

        var response = await tenant.Http.PostAsync("/api/knowledge/files", Form(Text("good.txt", "We close in 7 days."), (name, bytes, contentType)));

        var body = await response.AssertProblemAsync(status);
        Assert.Contains(message, body, StringComparison.Ordinal);
        Assert.Empty((await tenant.Http.GetJsonAsync("/api/knowledge/sources")).AsArray());
        Assert.Empty((await tenant.Http.GetJsonAsync("/api/knowledge")).AsArray());
    }

    [Fact]
    public async Task An_upload_that_is_not_multipart_or_has_no_files_is_a_problem()
    {
        var tenant = await app.CreateTenantAsync(number: NextNumber());

        await (await tenant.Http.PostAsync("/api/knowledge/files", new StringContent("{\"files\":[]}", Encoding.UTF8, "application/json"))).AssertProblemAsync(415);
        var empty = new MultipartFormDataContent { { new StringContent("x"), "note" } };
        var body = await (await tenant.Http.PostAsync("/api/knowledge/files", empty)).AssertProblemAsync(400);
        Assert.Contains("Attach 1 to 20 files", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_tenant_does_not_see_uploaded_knowledge()
    {
        var owner = await app.CreateTenantAsync(number: NextNumber());
        var other = await app.CreateTenantAsync(number: NextNumber(), name: "Other Realty");

        var response = await owner.Http.PostAsync("/api/knowledge/files", Form(Text("hours.txt", "Open Monday to Saturday.")));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Empty((await other.Http.GetJsonAsync("/api/knowledge/sources")).AsArray());
        Assert.Empty((await other.Http.GetJsonAsync("/api/knowledge")).AsArray());
        Assert.Single((await owner.Http.GetJsonAsync("/api/knowledge")).AsArray());
    }
}
