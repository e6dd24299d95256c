using Microsoft.Extensions.Options;

namespace Parley;

/// <summary>Bound from <c>Parley:Limits</c>: what one API key, one tenant or one upload may use of the process.
/// The defaults sit far above what a real integration does and far below what takes the process down.</summary>
public sealed class ParleyLimits
{
    public const string Section = "Parley:Limits";

    /// <summary>Requests per minute one API key (or one signed-in tenant) may make on <c>/api</c>.</summary>
    public int ApiRequestsPerMinute { get; set; } = 3000;

    /// <summary>Requests one key may make at once (the bucket the per-minute rate refills) before it is told to wait.</summary>
    public int ApiBurst { get; set; } = 600;

    /// <summary>Open <c>GET /api/events</c> streams per tenant, across its keys and dashboards, on this instance.</summary>
    public int EventStreamsPerTenant { get; set; } = 50;

    /// <summary>Open <c>GET /api/events</c> streams on this instance, all tenants together.</summary>
    public int EventStreamsPerInstance { get; set; } = 2000;

    /// <summary>A stream with no event for this long is closed; clients reconnect (SSE does so on its own).</summary>
    public TimeSpan EventStreamIdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>A stream is closed after this long whatever it carries, so no connection is held for ever.</summary>
    public TimeSpan EventStreamLifetime { get; set; } = TimeSpan.FromHours(4);

    /// <summary>Recipients (phone numbers) one CSV upload or one create request may add.</summary>
    public int CampaignRecipientsPerUpload { get; set; } = 50_000;

    /// <summary>Recipients one campaign may hold, all uploads together.</summary>
    public int CampaignRecipientsPerCampaign { get; set; } = 100_000;

    /// <summary>Phone columns an audience CSV may have (phone, phone2, mobile…).</summary>
    public int CampaignPhoneColumns { get; set; } = 10;

    public IEnumerable<string> Validate()
    {
        const string s = Section;
        if (ApiRequestsPerMinute < 1 || ApiBurst < 1)
        {
            yield return $"{s}:ApiRequestsPerMinute and {s}:ApiBurst must be at least 1; got {ApiRequestsPerMinute} and {ApiBurst}.";
        }

        if (EventStreamsPerTenant < 1 || EventStreamsPerInstance < EventStreamsPerTenant)
        {
            yield return $"{s}:EventStreamsPerTenant must be at least 1 and at most {s}:EventStreamsPerInstance; got {EventStreamsPerTenant} and {EventStreamsPerInstance}.";
        }

        if (EventStreamIdleTimeout < TimeSpan.FromSeconds(1) || EventStreamLifetime < EventStreamIdleTimeout)
        {
            yield return $"{s}:EventStreamIdleTimeout must be at least one second and at most {s}:EventStreamLifetime; got {EventStreamIdleTimeout} and {EventStreamLifetime}.";
        }

        if (CampaignRecipientsPerUpload < 1 || CampaignRecipientsPerCampaign < CampaignRecipientsPerUpload)
        {
            yield return $"{s}:CampaignRecipientsPerUpload must be at least 1 and at most {s}:CampaignRecipientsPerCampaign; got {CampaignRecipientsPerUpload} and {CampaignRecipientsPerCampaign}.";
        }

        if (CampaignPhoneColumns is < 1 or > 100)
        {
            yield return $"{s}:CampaignPhoneColumns must be between 1 and 100; got {CampaignPhoneColumns}.";
        }
    }
}

internal sealed class ParleyLimitsValidator : IValidateOptions<ParleyLimits>
{
    public ValidateOptionsResult Validate(string? name, ParleyLimits options) => OptionsValidators.Result(options.Validate());
}
