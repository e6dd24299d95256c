using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Parley.Tests.Fakes;

/// <summary>The fake's 10DLC registry, with Telnyx's field names: brands, the campaign builder, campaign status and
/// phone number assignments. Campaigns start <c>TCR_PENDING</c>; a test moves them on with <see cref="SetCampaignStatus"/>.</summary>
public sealed partial class FakeTelnyx
{
    private readonly ConcurrentDictionary<string, JsonObject> brands = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, JsonObject> campaigns = new(StringComparer.Ordinal);

    /// <summary>Every 10DLC request body, by path, in order.</summary>
    public ConcurrentQueue<(string Path, JsonObject Body)> TenDlcRequests { get; } = new();

    public void SetCampaignStatus(string campaignId, string status) => campaigns[campaignId]["campaignStatus"] = status;

    private void MapTenDlc(WebApplication app)
    {
        app.MapPost("/v2/10dlc/brand", async (HttpContext c) =>
        {
            var body = await ReadAsync(c, "/v2/10dlc/brand");
            var missing = new[] { "entityType", "displayName", "country", "email", "vertical" }.FirstOrDefault(f => body[f] is null);
            if (missing is not null)
            {
                return Results.Json(Error("10002", $"{missing} is required"), statusCode: 422);
            }

            var brand = body.DeepClone().AsObject();
            brand["brandId"] = $"B{Guid.NewGuid():N}"[..8].ToUpperInvariant();
            brand["identityStatus"] = "VERIFIED";
            brands[brand["brandId"]!.GetValue<string>()] = brand;
            return Results.Json(brand);
        });
        app.MapPost("/v2/10dlc/campaignBuilder", async (HttpContext c) =>
        {
            var body = await ReadAsync(c, "/v2/10dlc/campaignBuilder");
            if (body["brandId"]?.GetValue<string>() is not { } brandId || !brands.ContainsKey(brandId))
            {
                return Results.Json(Error("10004", "brandId does not name a brand of this account"), statusCode: 422);
            }

            var campaign = body.DeepClone().AsObject();
            campaign["campaignId"] = $"C{Guid.NewGuid():N}"[..8].ToUpperInvariant();
            campaign["campaignStatus"] = "TCR_PENDING";
            campaigns[campaign["campaignId"]!.GetValue<string>()] = campaign;
            return Results.Json(campaign);
        });
        app.MapGet("/v2/10dlc/campaign/{id}", (string id) =>
            campaigns.TryGetValue(id, out var campaign) ? Results.Json(campaign) : Results.Json(Error("10005", "campaign not found"), statusCode: 404));
        app.MapPost("/v2/10dlc/phone_number_campaigns", async (HttpContext c) =>
        {
            var body = await ReadAsync(c, "/v2/10dlc/phone_number_campaigns");
            var id = body["campaignId"]?.GetValue<string>();
            if (id is null || !campaigns.TryGetValue(id, out var campaign) || campaign["campaignStatus"]!.GetValue<string>() != "MNO_PROVISIONED")
            {
                return Results.Json(Error("10006", "the campaign is not active"), statusCode: 422);
            }

            return Results.Json(new JsonObject { ["phoneNumber"] = body["phoneNumber"]?.DeepClone(), ["campaignId"] = id, ["assignmentStatus"] = "ASSIGNED" });
        });
    }

    private async Task<JsonObject> ReadAsync(HttpContext context, string path)
    {
        var body = (await JsonNode.ParseAsync(context.Request.Body))?.AsObject() ?? [];
        TenDlcRequests.Enqueue((path, body.DeepClone().AsObject()));
        return body;
    }

    private static JsonObject Error(string code, string detail) =>
        new() { ["errors"] = new JsonArray(new JsonObject { ["code"] = code, ["title"] = "Invalid parameter", ["detail"] = detail }) };
}
