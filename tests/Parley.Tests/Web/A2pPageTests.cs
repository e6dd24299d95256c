using Microsoft.AspNetCore.Mvc.Testing;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Web;

/// <summary>The A2P wizard page, signed in with a cookie, on the Sandbox carrier (its registry approves at once).</summary>
public sealed class A2pPageTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    private static Dictionary<string, string> Form(string ein = "12-3456789") => new()
    {
        ["Form.EntityType"] = "PRIVATE_PROFIT",
        ["Form.DisplayName"] = "Birch Dental",
        ["Form.CompanyName"] = "Birch Dental PLLC",
        ["Form.Ein"] = ein,
        ["Form.Street"] = "2 Oak Ave",
        ["Form.City"] = "Albany",
        ["Form.State"] = "NY",
        ["Form.PostalCode"] = "12207",
        ["Form.Phone"] = "+15185550100",
        ["Form.Email"] = "desk@birch.example",
        ["Form.Website"] = "https://birch.example",
        ["Form.Vertical"] = "HEALTHCARE",
        ["Form.UseCase"] = "CUSTOMER_CARE",
        ["Form.Description"] = "Birch Dental answers patients who text about appointments and books cleanings.",
        ["Form.MessageFlow"] = "Patients text our number from our website and appointment cards.",
        ["Form.Sample1"] = "Hi, this is Birch Dental. We have a cleaning slot Tuesday at 3 pm; shall we book it?",
        ["Form.Sample2"] = "You're booked for Tuesday at 3 pm. Reply STOP to opt out.",
    };

    [Fact]
    public async Task The_owner_completes_the_wizard_and_a_bad_field_is_explained_beside_it()
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = true, HandleCookies = true });
        (await Forms.SignUpAsync(client, "a2p@birch.example")).EnsureSuccessStatusCode();
        var page = await client.GetStringAsync("/a2p");
        Assert.Contains("id=\"a2p-form\"", page, StringComparison.Ordinal);
        Assert.Contains(">NotStarted<", page, StringComparison.Ordinal);

        var refused = await (await Forms.PostAsync(client, "/a2p", Form(ein: "1"))).Content.ReadAsStringAsync();
        Assert.Contains("The EIN is the 9-digit federal tax id", refused, StringComparison.Ordinal);

        var done = await (await Forms.PostAsync(client, "/a2p", Form())).Content.ReadAsStringAsync();
        Assert.Contains("id=\"a2p-status\">Live<", done, StringComparison.Ordinal);
        Assert.Contains("MNO_PROVISIONED", done, StringComparison.Ordinal);
        Assert.Equal("Live", (await client.GetJsonAsync("/api/account"))["a2pStatus"]!.GetValue<string>());
    }
}
