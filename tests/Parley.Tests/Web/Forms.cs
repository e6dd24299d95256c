using System.Net;
using System.Text.RegularExpressions;

namespace Parley.Tests.Web;

/// <summary>Posts dashboard forms the way a browser does: fetch the page, take its antiforgery token, post.</summary>
public static partial class Forms
{
    public static Task<HttpResponseMessage> PostAsync(HttpClient client, string page, IDictionary<string, string> fields, string? handler = null) =>
        PostFieldsAsync(client, page, fields, handler);

    /// <summary>The same, for a form whose fields repeat a name (a group of checkboxes).</summary>
    public static async Task<HttpResponseMessage> PostFieldsAsync(HttpClient client, string page, IEnumerable<KeyValuePair<string, string>> fields, string? handler = null)
    {
        var html = await client.GetStringAsync(page);
        var token = Token().Match(html).Groups[1].Value;
        var body = fields.Append(new("__RequestVerificationToken", WebUtility.HtmlDecode(token)));
        var url = handler is null ? page : $"{page}{(page.Contains('?', StringComparison.Ordinal) ? '&' : '?')}handler={handler}";
        return await client.PostAsync(url, new FormUrlEncodedContent(body));
    }

    /// <summary>Signs a new business up and then signs in with the password just chosen, as a person does
    /// (sign-up itself never signs in); a refused form comes back as the sign-up page.</summary>
    public static async Task<HttpResponseMessage> SignUpAsync(HttpClient client, string email, string password = "correct horse battery", string business = "Birch Dental")
    {
        var signedUp = await PostAsync(client, "/signup", new Dictionary<string, string>
        {
            ["BusinessName"] = business,
            ["Email"] = email,
            ["Password"] = password,
            ["TimeZone"] = "America/Toronto",
        });
        return signedUp.RequestMessage?.RequestUri?.AbsolutePath != "/signin"
            ? signedUp
            : await PostAsync(client, "/signin", new Dictionary<string, string> { ["Email"] = email, ["Password"] = password });
    }

    /// <summary>A new API key for the signed-in business, made on the Settings page as its owner would (the
    /// cookie only reads the API; writes take a key).</summary>
    public static async Task<string> ApiKeyAsync(HttpClient client)
    {
        var settings = await PostAsync(client, "/settings", new Dictionary<string, string>(), "RotateKey");
        return ApiKey().Match(await settings.Content.ReadAsStringAsync()).Value;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();

    [GeneratedRegex("pk_[A-Za-z0-9_-]+")]
    private static partial Regex ApiKey();
}
