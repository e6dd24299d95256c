using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Accounts;
using Parley.Data;
using Parley.Work;

namespace Parley.Knowledge.Import;

/// <summary>Knowledge from files and web pages: each upload or URL is a source whose passages become entries.</summary>
public static class KnowledgeImportApi
{
    public const int MaxFilesPerUpload = 20;

    public sealed record UrlBody(string? Url);

    public sealed record SourceView(Guid Id, KnowledgeSourceKind Kind, string Name, string? Url, string ContentType, DateTime FetchedAt,
        DateTime? NextFetchAt, string? LastError, int EntryCount);

    public static void MapKnowledgeImportApi(this RouteGroupBuilder api)
    {
        var knowledge = api.MapGroup("/knowledge");
        knowledge.MapPost("/files", UploadAsync).WithName("UploadKnowledgeFiles")
            .WithSummary("Imports one or more files (txt, md, html, pdf, docx, csv; multipart field \"files\"): each becomes a source and its passages entries. Nothing is stored when any file is refused.")
            .Accepts<IFormFileCollection>("multipart/form-data")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        knowledge.MapPost("/urls", AddUrlAsync).WithName("AddKnowledgeUrl")
            .WithSummary("Fetches a public web page (html, text, Markdown or PDF) now, stores it as a source with its entries, and re-fetches it on a schedule.")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        knowledge.MapGet("/sources", ListSourcesAsync).WithName("ListKnowledgeSources")
            .WithSummary("The files and web pages the tenant's knowledge came from, with their entry counts and last fetch error.");
    }

    internal static async Task<Results<Created<List<SourceView>>, ValidationProblem, ProblemHttpResult>> UploadAsync(
        HttpRequest request, KnowledgeImporter importer, TenantScope scope, KnowledgeLimits limits, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!request.HasFormContentType)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Send the files as multipart/form-data",
                detail: "Upload files as multipart/form-data in the field \"files\".");
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or BadHttpRequestException)
        {
            return TypedResults.Problem(statusCode: ex is BadHttpRequestException { StatusCode: 413 } ? 413 : 400, title: "The upload could not be read", detail: ex.Message);
        }

        if (form.Files.Count == 0 || form.Files.Count > MaxFilesPerUpload)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["files"] = [$"Attach 1 to {MaxFilesPerUpload} files in the field \"files\"."] });
        }

        // Every file is read before anything is stored: one bad file refuses the whole upload.
        var read = new List<(IFormFile File, ImportedDocument Document, string Hash)>();
        foreach (var file in form.Files)
        {
            try
            {
                if (file.Length > limits.MaxDocumentBytes)
                {
                    throw DocumentReader.TooLarge(Path.GetFileName(file.FileName), limits.MaxDocumentBytes);
                }

                using var bytes = new MemoryStream((int)file.Length);
                await file.CopyToAsync(bytes, cancellationToken);
                bytes.Position = 0;
                var document = DocumentReader.Read(file.FileName, file.ContentType, bytes, limits);
                read.Add((file, document, Convert.ToHexStringLower(SHA256.HashData(bytes.ToArray()))));
            }
            catch (KnowledgeImportException ex)
            {
                return Problem(ex);
            }
        }

        var now = time.GetUtcNow().UtcDateTime;
        var views = new List<SourceView>();
        foreach (var (file, document, hash) in read)
        {
            var source = new KnowledgeSource
            {
                Id = Guid.CreateVersion7(),
                TenantId = scope.TenantId(),
                Kind = KnowledgeSourceKind.File,
                Name = Clip(Path.GetFileName(file.FileName), 300),
                ContentType = Clip(DocumentReader.MediaType(file.ContentType) ?? "application/octet-stream", 200),
                ContentHash = hash,
                FetchedAtUtc = now,
            };
            try
            {
                var entries = await importer.ReplaceSourceAsync(source, document, cancellationToken);
                views.Add(View(source, entries.Count));
            }
            catch (KnowledgeImportException ex)
            {
                return Problem(ex);
            }
        }

        return TypedResults.Created("/api/knowledge/sources", views);
    }

    internal static async Task<Results<Created<SourceView>, ValidationProblem, ProblemHttpResult>> AddUrlAsync(
        UrlBody body, ParleyDb db, WebPageFetcher fetcher, KnowledgeImporter importer, WorkQueue work, TenantScope scope, KnowledgeLimits limits,
        TimeProvider time, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(body.Url) || body.Url.Length > 2048 || !Uri.TryCreate(body.Url.Trim(), UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["url"] = ["An absolute http or https address of at most 2048 characters is required, e.g. https://example.com/faq."] });
        }

        FetchedPage page;
        try
        {
            page = await fetcher.FetchPageAsync(url, cancellationToken);
        }
        catch (KnowledgeImportException ex)
        {
            return Problem(ex);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var address = url.ToString();
        var source = await db.KnowledgeSources.FirstOrDefaultAsync(s => s.Kind == KnowledgeSourceKind.Url && s.Url == address, cancellationToken)
            ?? new KnowledgeSource { Id = Guid.CreateVersion7(), TenantId = scope.TenantId(), Kind = KnowledgeSourceKind.Url, Url = address, Name = "", ContentType = "", ContentHash = "" };
        KnowledgeRefetcher.Fetched(source, page, now, limits);
        await KnowledgeRefetcher.ScheduleAsync(db, work, source, cancellationToken);
        try
        {
            var entries = await importer.ReplaceSourceAsync(source, page.Document, cancellationToken);
            return TypedResults.Created("/api/knowledge/sources", View(source, entries.Count));
        }
        catch (KnowledgeImportException ex)
        {
            return Problem(ex);
        }
    }

    internal static async Task<Ok<List<SourceView>>> ListSourcesAsync(ParleyDb db, CancellationToken cancellationToken)
    {
        var sources = await db.KnowledgeSources.AsNoTracking().OrderByDescending(s => s.FetchedAtUtc).ToListAsync(cancellationToken);
        var counts = await db.KnowledgeEntries.Where(e => e.SourceId != null).GroupBy(e => e.SourceId!.Value)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        return TypedResults.Ok(sources.Select(s => View(s, counts.GetValueOrDefault(s.Id))).ToList());
    }

    private static SourceView View(KnowledgeSource s, int entryCount) =>
        new(s.Id, s.Kind, s.Name, s.Url, s.ContentType, s.FetchedAtUtc, s.NextFetchAtUtc, s.LastError, entryCount);

    /// <summary>The status a refused import is answered with, and a title naming the kind of refusal.</summary>
    public static ProblemHttpResult Problem(KnowledgeImportException ex) => ex.Failure switch
    {
        KnowledgeImportFailure.TooLarge => TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Too large to import", detail: ex.Message),
        KnowledgeImportFailure.Unsupported => TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Not a kind of document Parley reads", detail: ex.Message),
        KnowledgeImportFailure.Unreachable => TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "The page could not be fetched", detail: ex.Message),
        _ => TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The document cannot be imported", detail: ex.Message),
    };

    internal static string Clip(string text, int length) => text.Length <= length ? text : text[..length];
}
