using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Accounts;
using Parley.Conversations;
using Parley.Data;
using Parley.Telemetry;
using Parley.Work;

namespace Parley.Messaging.Sandbox;

/// <summary>The phone simulator: text a tenant's agent as a pretend contact, in Sandbox mode only.</summary>
public static class SandboxApi
{
    public sealed record SimulatedText(string? From, string? To, string? Text);

    public sealed record Accepted(string MessageId);

    public static void MapSandboxApi(this RouteGroupBuilder api) =>
        api.MapPost("/sandbox/inbound", SimulateInboundAsync).WithName("SimulateInbound").WithSummary("Simulates an inbound text on the Sandbox carrier.")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithWebhookTelemetry("sandbox");

    internal static async Task<Results<Accepted<Accepted>, ValidationProblem, ProblemHttpResult>> SimulateInboundAsync(
        SimulatedText body,
        ParleyDb db,
        TenantScope scope,
        WorkQueue work,
        TimeProvider time,
        IOptions<ParleyOptions> parley,
        CancellationToken cancellationToken)
    {
        if (parley.Value.Carrier != CarrierKind.Sandbox)
        {
            return TypedResults.Problem(statusCode: 409, title: "Not in Sandbox mode",
                detail: "The phone simulator works only when Parley__Carrier is Sandbox; real texts arrive through the carrier.");
        }

        var tenant = await db.Tenants.FirstAsync(t => t.Id == scope.TenantId(), cancellationToken);
        var errors = new Dictionary<string, string[]>();
        if (!PhoneNumberParser.Default.TryNormalize(body.From, tenant.DefaultCountry, out var from, out var fromError))
        {
            errors["from"] = [fromError];
        }

        if (string.IsNullOrWhiteSpace(body.Text) || body.Text.Length > 1600)
        {
            errors["text"] = ["Text is required and at most 1,600 characters."];
        }

        var numbers = await db.PhoneNumbers.Select(n => n.Number).ToListAsync(cancellationToken);
        string? to = null;
        if (body.To is null)
        {
            to = numbers.FirstOrDefault();
            if (to is null)
            {
                errors["to"] = ["This tenant has no phone number yet; add one first."];
            }
        }
        else if (!PhoneNumberParser.Default.TryNormalize(body.To, tenant.DefaultCountry, out var toNumber, out var toError) || !numbers.Contains(toNumber.Value))
        {
            errors["to"] = [toError.Length > 0 ? toError : "That number is not one of this tenant's numbers."];
        }
        else
        {
            to = toNumber.Value;
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var id = $"sandbox-in-{Guid.CreateVersion7():N}";
        var sms = new InboundSms(id, from!.Value, to!, body.Text!, time.GetUtcNow().UtcDateTime);
        work.Enqueue(InboundTextProcessor.Work, await InboundWork.ForAsync(db, tenant.Id, sms, cancellationToken), tenant.Id);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Accepted((string?)null, new Accepted(id));
    }
}
