using Parley;
using Parley.Accounts;
using Parley.Data;
using Parley.Web;

var builder = WebApplication.CreateBuilder(args);
builder.AddParley();

var app = builder.Build();
await using (var scope = app.Services.CreateAsyncScope())
{
    await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(app.Lifetime.ApplicationStopping);
}

AdminKeyFile.EnsureAdminKey(app);
app.UseForwardedHeaders();
app.UseHsts();
app.UseSecurityHeaders();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseStaticFiles();
app.UseAuthentication();
app.UseTenantScope();
app.UseRequestGuards();
app.UseAuthorization();
app.MapParley();
await app.RunAsync();

public partial class Program;
