using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Parley.Messaging.Telnyx;
using Parley.Web;

namespace Parley.Accounts.A2p;

/// <summary>Telnyx's 10DLC API (<c>{BaseUrl}/v2/10dlc/…</c>, Telnyx's field names): brand, campaign builder, campaign
/// status, phone number assignment. A refusal (4xx) is a step that failed, with Telnyx's reason; an outage is
/// <see cref="TenDlcUnavailableException"/>.</summary>
public sealed class TelnyxTenDlc(HttpClient http, IOptions<TelnyxOptions> options, IOptions<ParleyOptions> parley) : ITenDlcRegistry
{
    /// <summary>Where Telnyx sends this brand's and campaign's status events, when Parley's public address is known.</summary>
    private void AddWebhook(JsonObject body)
    {
        if (parley.Value.DashboardUrl is not null)
        {
            body["webhookURL"] = parley.Value.Link("/webhooks/telnyx/10dlc");
        }
    }

    private string Base => options.Value.BaseUrl.TrimEnd('/') + "/v2/10dlc";

    public Task<TenDlcStep> CreateBrandAsync(A2pDetails details, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(details);
        var body = new JsonObject
        {
            ["entityType"] = details.EntityType,
            ["displayName"] = details.DisplayName?.Trim(),
            ["companyName"] = details.CompanyName?.Trim(),
            ["ein"] = details.Ein?.Trim(),
            ["phone"] = details.Phone?.Trim(),
            ["email"] = details.Email?.Trim(),
            ["street"] = details.Street?.Trim(),
            ["city"] = details.City?.Trim(),
            ["state"] = details.State?.Trim(),
            ["postalCode"] = details.PostalCode?.Trim(),
            ["country"] = "US",
            ["website"] = details.Website,
            ["vertical"] = details.Vertical,
        };
        AddWebhook(body);
        return SendAsync(HttpMethod.Post, $"{Base}/brand", body, "brandId", ["status", "identityStatus"], cancellationToken);
    }

    public Task<TenDlcStep> CreateCampaignAsync(string brandId, A2pDetails details, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(details);
        var body = new JsonObject
        {
            ["brandId"] = brandId,
            ["usecase"] = details.UseCase,
            ["description"] = details.Description?.Trim(),
            ["messageFlow"] = details.MessageFlow?.Trim(),
            ["sample1"] = details.Sample1?.Trim(),
            ["sample2"] = details.Sample2?.Trim(),
            ["helpMessage"] = details.HelpMessage?.Trim() is { Length: > 0 } help ? help : $"{details.DisplayName}: reply STOP to opt out.",
            ["optoutKeywords"] = "STOP",
            ["helpKeywords"] = "HELP",
            ["subscriberOptin"] = true,
            ["subscriberOptout"] = true,
            ["subscriberHelp"] = true,
            ["embeddedLink"] = false,
            ["embeddedPhone"] = false,
            ["numberPool"] = false,
            ["ageGated"] = false,
            ["directLending"] = false,
            ["termsAndConditions"] = true,
        };
        AddWebhook(body);
        return SendAsync(HttpMethod.Post, $"{Base}/campaignBuilder", body, "campaignId", ["campaignStatus", "status"], cancellationToken);
    }

    public Task<TenDlcStep> CampaignAsync(string campaignId, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, $"{Base}/campaign/{Uri.EscapeDataString(campaignId)}", null, "campaignId", ["campaignStatus", "status"], cancellationToken);

    public Task<TenDlcStep> AssignNumberAsync(string campaignId, string number, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"{Base}/phone_number_campaigns", new JsonObject { ["phoneNumber"] = number, ["campaignId"] = campaignId },
            "phoneNumber", ["assignmentStatus", "status"], cancellationToken);

    private async Task<TenDlcStep> SendAsync(HttpMethod method, string url, JsonObject? body, string idField, string[] statusFields, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.Value.ApiKey ?? "");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        HttpResponseMessage response;
        JsonNode? json;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
            json = await response.Content.ReadFromJsonAsync<JsonNode>(cancellationToken);
        }
        catch (Exception ex) when (HttpFailures.IsTransient(ex, cancellationToken) || ex is System.Text.Json.JsonException)
        {
            throw new TenDlcUnavailableException("Telnyx's 10DLC service could not be reached; nothing was lost, try again shortly.", ex);
        }

        using (response)
        {
            if ((int)response.StatusCode >= 500 || (int)response.StatusCode == 429)
            {
                throw new TenDlcUnavailableException($"Telnyx's 10DLC service answered {(int)response.StatusCode}; try again shortly.");
            }

            if (!response.IsSuccessStatusCode)
            {
                var error = json?["errors"]?[0];
                var detail = error?["detail"]?.GetValue<string>() ?? error?["title"]?.GetValue<string>() ?? $"HTTP {(int)response.StatusCode}";
                return new TenDlcStep(null, "FAILED", detail);
            }

            var record = json?["data"] as JsonObject ?? json as JsonObject;
            var id = record?[idField]?.GetValue<string>();
            var status = statusFields.Select(f => record?[f]?.GetValue<string>()).FirstOrDefault(s => s is not null) ?? "PENDING";
            return new TenDlcStep(id, status);
        }
    }
}
