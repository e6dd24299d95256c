using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Parley.Data;

namespace Parley.Accounts.A2p;

/// <summary>
/// Runs a tenant's 10DLC registration in Telnyx's order — brand, then campaign, then each number assigned to the
/// campaign — keeping each step's id so a resubmission or a refresh never registers twice, and sets the A2P gate:
/// Live only once the campaign is approved and every number is assigned; Rejected, in plain words, when a step is.
/// </summary>
public sealed class A2pRegistrar(ParleyDb db, ITenDlcRegistry registry, Microsoft.Extensions.Options.IOptions<A2pOptions> options, TimeProvider time)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Campaign statuses that let numbers send A2P traffic.</summary>
    public static bool Approved(string? campaignStatus) => campaignStatus is "MNO_PROVISIONED" or "ACTIVE" or "MNO_ACCEPTED";

    public async Task<A2pRegistration> SubmitAsync(Tenant tenant, A2pDetails details, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        var now = time.GetUtcNow().UtcDateTime;
        var registration = await db.A2pRegistrations.FirstOrDefaultAsync(cancellationToken);
        if (registration is null)
        {
            registration = new A2pRegistration { TenantId = tenant.Id, DetailsJson = "{}", SubmittedAtUtc = now };
            db.A2pRegistrations.Add(registration);
        }

        // A rejected brand or campaign is registered anew with the corrected details; an accepted one is kept.
        if (registration.BrandStatus is { } brand && new TenDlcStep(null, brand).Failed)
        {
            (registration.BrandId, registration.BrandStatus, registration.CampaignId, registration.CampaignStatus) = (null, null, null, null);
        }
        else if (registration.CampaignStatus is { } campaign && new TenDlcStep(null, campaign).Failed)
        {
            (registration.CampaignId, registration.CampaignStatus) = (null, null);
        }

        registration.DetailsJson = JsonSerializer.Serialize(details, Json);
        registration.SubmittedAtUtc = now;
        registration.Problem = null;
        tenant.A2pStatus = A2pStatus.Pending;
        await db.SaveChangesAsync(cancellationToken);
        await AdvanceAsync(tenant, registration, cancellationToken);
        if (tenant.A2pStatus == A2pStatus.Pending)
        {
            // Nobody has to keep the wizard open: the registry is read back until the registration settles.
            await A2pRefresher.QueueAsync(db, time, tenant.Id, time.GetUtcNow().UtcDateTime + options.Value.PollInterval, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
        }

        return registration;
    }

    /// <summary>Takes every step that can be taken now and reads back what the registry says.</summary>
    public async Task AdvanceAsync(Tenant tenant, A2pRegistration registration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(registration);
        var details = Details(registration)!;
        if (registration.BrandId is null && registration.Problem is null)
        {
            Apply(registration, await registry.CreateBrandAsync(details, cancellationToken), step => (registration.BrandId, registration.BrandStatus) = (step.Id, step.Status));
            await db.SaveChangesAsync(cancellationToken);
        }

        if (registration.BrandId is { } brandId && registration.CampaignId is null && registration.Problem is null)
        {
            Apply(registration, await registry.CreateCampaignAsync(brandId, details, cancellationToken), step => (registration.CampaignId, registration.CampaignStatus) = (step.Id, step.Status));
            await db.SaveChangesAsync(cancellationToken);
        }
        else if (registration.CampaignId is { } id && !Approved(registration.CampaignStatus) && registration.Problem is null)
        {
            Apply(registration, await registry.CampaignAsync(id, cancellationToken), step => registration.CampaignStatus = step.Status);
        }

        var assignments = Assignments(registration);
        if (registration.CampaignId is { } campaignId && Approved(registration.CampaignStatus))
        {
            var numbers = await db.PhoneNumbers.Select(n => n.Number).ToListAsync(cancellationToken);
            foreach (var number in numbers.Where(n => assignments.GetValueOrDefault(n) != "ASSIGNED"))
            {
                var step = await registry.AssignNumberAsync(campaignId, number, cancellationToken);
                assignments[number] = step.Problem is null ? step.Status : $"FAILED: {step.Problem}";
            }

            registration.AssignmentsJson = JsonSerializer.Serialize(assignments, Json);
            var ready = numbers.Count > 0 ? numbers.All(n => assignments.GetValueOrDefault(n) == "ASSIGNED") : registry is SandboxTenDlc;
            tenant.A2pStatus = ready ? A2pStatus.Live : A2pStatus.Pending;
        }

        if (registration.Problem is not null)
        {
            tenant.A2pStatus = A2pStatus.Rejected;
        }

        registration.UpdatedAtUtc = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
    }

    public static A2pDetails? Details(A2pRegistration? registration) =>
        registration is null ? null : JsonSerializer.Deserialize<A2pDetails>(registration.DetailsJson, Json);

    public static Dictionary<string, string> Assignments(A2pRegistration registration) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(registration?.AssignmentsJson ?? "{}", Json) ?? [];

    private static void Apply(A2pRegistration registration, TenDlcStep step, Action<TenDlcStep> record)
    {
        record(step);
        if (step.Failed)
        {
            registration.Problem = Explain(step);
        }
    }

    /// <summary>A refusal in words a business owner can act on.</summary>
    public static string Explain(TenDlcStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        var reason = step.Problem is null ? "" : $" The registry said: {step.Problem}";
        return step.Status switch
        {
            "UNVERIFIED" => "The carriers could not verify the business: the legal name and EIN must match the IRS records exactly." + reason,
            var s when s.StartsWith("TCR_", StringComparison.Ordinal) || s.StartsWith("MNO_", StringComparison.Ordinal) =>
                "The carriers rejected the campaign: make the description say who is texted and why, show how people opt in, and give samples that match." + reason,
            _ => "The registration was refused; correct the details and submit again." + reason,
        };
    }
}
