using Parley.Accounts;
using Parley.Campaigns;
using Parley.Data;

namespace Parley.Conversations;

/// <summary>
/// Makes client records from the rows of a CSV read by <see cref="AudienceCsv"/> (the campaigns' reader: header,
/// quotes, caps and unreadable rows handled once). Each row goes through <see cref="ContactRecords"/> like a
/// contact typed in the dashboard, and is saved on its own, so a bad row is reported and the good ones kept.
/// </summary>
public sealed class ContactImport(ParleyDb db, TimeProvider time)
{
    /// <summary>What an import did: new records, texters who became clients, and each row left out with why.</summary>
    public sealed record Result(int Added, int Updated, int RejectedCount, IReadOnlyList<RejectedRecipient> Rejected);

    public async Task<Result> ImportAsync(Tenant tenant, IReadOnlyList<AudienceRow> rows, IReadOnlyList<RejectedRecipient> unreadable, CancellationToken cancellationToken)
    {
        var rejected = new List<RejectedRecipient>(unreadable);
        var (added, updated) = (0, 0);
        foreach (var row in rows)
        {
            var body = new ContactsApi.CreateContact(row.FirstName, row.LastName, row.Company, row.Phones);
            var phone = row.Phones.FirstOrDefault(p => !string.IsNullOrWhiteSpace(p)) ?? "";
            var (fields, errors) = ContactRecords.Validate(body, tenant.DefaultCountry);
            if (fields is null)
            {
                rejected.Add(new RejectedRecipient(row.Row, Shorten(phone), string.Join(" ", errors.Values.SelectMany(e => e))));
                continue;
            }

            var saved = await ContactRecords.SaveAsync(db, tenant.Id, null, fields, time.GetUtcNow().UtcDateTime, cancellationToken);
            if (saved.Contact is null)
            {
                rejected.Add(new RejectedRecipient(row.Row, fields.Numbers[0], saved.Reason ?? "Refused."));
                continue;
            }

            await db.SaveChangesAsync(cancellationToken);
            if (saved.Created)
            {
                added++;
            }
            else
            {
                updated++;
            }
        }

        var ordered = rejected.OrderBy(r => r.Row).ToList();
        return new Result(added, updated, ordered.Count, [.. ordered.Take(CampaignAudience.MaxReported)]);
    }

    private static string Shorten(string raw) => raw.Length <= 40 ? raw : raw[..40];
}
