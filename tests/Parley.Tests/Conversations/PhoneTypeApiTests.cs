using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Conversations;

/// <summary>Each contact number carries its line type (mobile, fixed line, toll free…) in the API.</summary>
public sealed class PhoneTypeApiTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    private static int tenantNumbers = 7300;

    private static string NextTenantNumber() => $"+1416555{Interlocked.Increment(ref tenantNumbers):D4}";

    [Fact]
    public async Task A_contacts_numbers_are_listed_with_their_line_types()
    {
        var tenant = await app.CreateTenantAsync(number: NextTenantNumber());
        var created = await tenant.Http.PostJsonAsync("/api/contacts",
            new { firstName = "Priya", phones = new[] { "(416) 555-0123", "1-800-555-0123", "+44 7400 123456", "+44 20 7946 0123" } });
        var read = await tenant.Http.GetJsonAsync($"/api/contacts/{created["id"]!.GetValue<string>()}");

        foreach (var contact in new[] { created, read })
        {
            var types = contact["phoneTypes"]!;
            Assert.Equal("FixedLineOrMobile", types["+14165550123"]!.GetValue<string>());
            Assert.Equal("TollFree", types["+18005550123"]!.GetValue<string>());
            Assert.Equal("Mobile", types["+447400123456"]!.GetValue<string>());
            Assert.Equal("FixedLine", types["+442079460123"]!.GetValue<string>());
        }
    }

    [Theory]
    [InlineData("+44 7400 123456", "Mobile")]
    [InlineData("416-555-0177", "FixedLineOrMobile")]
    [InlineData("+1 888 555 0177", "TollFree")]
    public async Task A_conversations_phones_carry_the_numbers_line_type(string to, string type)
    {
        var tenant = await app.CreateTenantAsync(number: NextTenantNumber());
        var conversation = await tenant.Http.PostJsonAsync("/api/conversations", new { to, message = "Hi, it's Maple Realty." });

        Assert.Equal(type, conversation["phones"]![0]!["type"]!.GetValue<string>());
        Assert.Equal(type, conversation["contact"]!["phoneTypes"]![conversation["phones"]![0]!["number"]!.GetValue<string>()]!.GetValue<string>());
    }

    [Fact]
    public async Task A_number_stored_without_a_type_shows_none_until_it_texts_again()
    {
        var tenant = await app.CreateTenantAsync(number: NextTenantNumber());
        var created = await tenant.Http.PostJsonAsync("/api/contacts", new { firstName = "Sam", phones = new[] { "416-555-0188" } });
        var id = Guid.Parse(created["id"]!.GetValue<string>());
        await app.QueryAsync(db => db.ContactPhones.Where(p => p.ContactId == id).ExecuteUpdateAsync(u => u.SetProperty(p => p.Type, (Parley.Messaging.PhoneType?)null)), tenant.Id);

        var before = await tenant.Http.GetJsonAsync($"/api/contacts/{id}");
        Assert.True(before["phoneTypes"]!.AsObject().ContainsKey("+14165550188"));
        Assert.Null(before["phoneTypes"]!["+14165550188"]);

        (await tenant.Http.PostAsJsonAsync("/api/sandbox/inbound", new { from = "+14165550188", text = "Hi, is the condo still available?" })).EnsureSuccessStatusCode();
        var after = await Eventually.GetAsync(() => tenant.Http.GetJsonAsync($"/api/contacts/{id}"),
            c => c["phoneTypes"]!["+14165550188"] is JsonValue);
        Assert.Equal("FixedLineOrMobile", after["phoneTypes"]!["+14165550188"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("(411) 555-0123")]
    [InlineData("416 055 0123")]
    [InlineData("44 7400 123456")]
    public async Task A_contact_number_outside_the_plan_is_refused_with_a_problem(string phone)
    {
        var tenant = await app.CreateTenantAsync(number: NextTenantNumber());
        var response = await tenant.Http.PostAsJsonAsync("/api/contacts", new { firstName = "Jo", phones = new[] { phone } });

        var problem = await response.AssertProblemAsync(400);
        Assert.Contains("phones[0]", problem, StringComparison.Ordinal);
        Assert.Contains(phone, problem, StringComparison.Ordinal);
    }
}
