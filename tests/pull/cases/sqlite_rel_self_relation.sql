-- tags=sqlite
-- source=prisma-engines sql-introspection-tests/tests/relations/sqlite.rs a_self_relation

CREATE TABLE "User" ("id" INTEGER NOT NULL, "recruited_by" INTEGER, "direct_report" INTEGER,
  CONSTRAINT "recruited_by_fkey" FOREIGN KEY ("recruited_by") REFERENCES "User"("id"),
  CONSTRAINT "direct_report_fkey" FOREIGN KEY ("direct_report") REFERENCES "User"("id"),
  CONSTRAINT "User_pkey" PRIMARY KEY ("id"));

/*
generator client {
  provider = "prisma-client"
}

datasource db {
  provider = "sqlite"
}

model User {
  id                                  Int    @id @default(autoincrement())
  recruited_by                        Int?
  direct_report                       Int?
  User_User_direct_reportToUser       User?  @relation("User_direct_reportToUser", fields: [direct_report], references: [id], onDelete: NoAction, onUpdate: NoAction)
  other_User_User_direct_reportToUser User[] @relation("User_direct_reportToUser")
  User_User_recruited_byToUser        User?  @relation("User_recruited_byToUser", fields: [recruited_by], references: [id], onDelete: NoAction, onUpdate: NoAction)
  other_User_User_recruited_byToUser  User[] @relation("User_recruited_byToUser")
}
*/
