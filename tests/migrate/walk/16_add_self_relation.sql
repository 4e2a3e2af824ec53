UPDATE "User" SET "managerId" = 1 WHERE "id" = 2;
