using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Parley.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class CarrierBackPressure : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "BackPressure",
                table: "WorkItems",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            // Sends the carrier pushed back before the flag existed were marked only by their last error's prefix.
            migrationBuilder.Sql("""
                UPDATE "WorkItems" SET "BackPressure" = TRUE
                WHERE "Status" = 0 AND "Kind" = 'sms.send' AND "LastError" LIKE 'Carrier busy%'
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "BackPressure",
                table: "WorkItems");
        }
    }
}
